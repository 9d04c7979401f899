using System.Globalization;
using Simd.Models.Cli;
using Spectre.Console;

namespace Simd.Models.Reporting;

/// <summary>
/// Shows training as it runs: in a terminal a Spectre progress bar over all batches with the epoch lines printed
/// above it; on redirected output the epoch lines alone, so that logs hold one line per epoch.
/// </summary>
internal sealed class TrainingReporter(AppConsole console)
{
    private ProgressTask? _task;

    /// <summary>Runs <paramref name="body"/> while the progress display for <paramref name="totalBatches"/> is live.</summary>
    public T Run<T>(string title, long totalBatches, Func<T> body)
    {
        if (!console.IsInteractive) return body();
        T result = default!;
        console.Ansi.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalBatches));
                try
                {
                    result = body();
                }
                finally
                {
                    _task.StopTask();
                    _task = null;
                }
            });
        return result;
    }

    /// <summary>Called after each mini-batch; cheap when no bar is shown.</summary>
    public void Batch() => _task?.Increment(1);

    /// <summary>Prints the epoch's row of the table, under the table's header when it is the first.</summary>
    public void Epoch(EpochReport e)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            Line(FormatHeader(e));
        }
        if (_task is not null) _task.Description = Markup.Escape($"epoch {Math.Min(e.Epoch + 1, e.Epochs)}/{e.Epochs}");
        Line(FormatEpoch(e));
    }

    public void Line(string text)
    {
        foreach (string line in TextLayout.Wrap(text))
        {
            if (_task is null) console.Output.WriteLine(line);
            else console.Ansi.WriteLine(line);
        }
    }

    /// <summary>
    /// One row per epoch under a header, so that a line fits 80 columns: training loss and accuracy, validation
    /// loss and accuracy (when there is a validation split), the mean learning rate of the epoch's steps, its
    /// time, and <c>*</c> for a new best validation loss.
    /// </summary>
    internal static string FormatHeader(EpochReport e)
    {
        string text = $"{"epoch".PadRight(EpochWidth(e))}  {"loss",LossWidth}  {"acc",AccuracyWidth}";
        if (e.ValidationLoss is not null) text += $"  {"val_loss",LossWidth + 1}  {"val_acc",AccuracyWidth + 1}";
        return text + $"  {"lr",RateWidth}  {"time",TimeWidth}";
    }

    internal static string FormatEpoch(EpochReport e)
    {
        var c = CultureInfo.InvariantCulture;
        string epoch = string.Create(c, $"{e.Epoch}/{e.Epochs}").PadLeft(EpochWidth(e));
        string text = $"{epoch}  {Number(e.TrainLoss),LossWidth}  {Number(e.TrainAccuracy),AccuracyWidth}";
        if (e.ValidationLoss is double vl) text += $"  {Number(vl),LossWidth + 1}  {Number(e.ValidationAccuracy ?? double.NaN),AccuracyWidth + 1}";
        text += $"  {TextLayout.Rate(e.LearningRate),RateWidth}  {TextLayout.Duration(e.Elapsed),TimeWidth}";
        if (e.IsBest && e.ValidationLoss is not null) text += " *";
        return text;
    }

    private const int LossWidth = 7, AccuracyWidth = 6, RateWidth = 8, TimeWidth = 7;

    private bool _headerWritten;

    private static int EpochWidth(EpochReport e) => Math.Max("epoch".Length, 2 * e.Epochs.ToString(CultureInfo.InvariantCulture).Length + 1);

    /// <summary>Four decimals; a value too large for its column (a diverging loss) in exponent form, e.g. 6.117e5.</summary>
    private static string Number(double value) =>
        double.IsNaN(value) ? "-" : value.ToString(Math.Abs(value) < 99_999.5 ? "F4" : "0.###e0", CultureInfo.InvariantCulture);
}
