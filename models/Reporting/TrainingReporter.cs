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

    public void Epoch(EpochReport e)
    {
        string line = FormatEpoch(e);
        if (_task is null)
        {
            console.Output.WriteLine(line);
        }
        else
        {
            _task.Description = Markup.Escape($"epoch {e.Epoch}/{e.Epochs}");
            console.Ansi.WriteLine(line);
        }
    }

    public void Line(string text)
    {
        if (_task is null) console.Output.WriteLine(text);
        else console.Ansi.WriteLine(text);
    }

    internal static string FormatEpoch(EpochReport e)
    {
        var c = CultureInfo.InvariantCulture;
        int width = e.Epochs.ToString(c).Length;
        string text = string.Create(c, $"epoch {e.Epoch.ToString(c).PadLeft(width)}/{e.Epochs}  loss {e.TrainLoss:F4}  acc {e.TrainAccuracy:F4}");
        if (e.ValidationLoss is double vl) text += string.Create(c, $"  val_loss {vl:F4}");
        if (e.ValidationAccuracy is double va) text += string.Create(c, $"  val_acc {va:F4}");
        text += string.Create(c, $"  lr {e.LearningRate:G3}  {e.Elapsed.TotalSeconds:F1}s");
        if (e.IsBest && e.ValidationLoss is not null) text += "  *";
        return text;
    }
}
