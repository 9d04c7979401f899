using System.Globalization;
using System.Text.RegularExpressions;
using Simd.Models.Reporting;
using Simd.Models.Training;
using Simd.Runtime.Training;
using static Simd.Runtime.Tests.CommandLine.CliRun;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>What `train` prints: lines of 80 columns at most, counts and times that read right, rates that were used.</summary>
public sealed class TrainOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-output-tests-");

    public void Dispose() => _dir.Dispose();

    private static string[] EpochRows(string output) => Lines(output).Where(l => Regex.IsMatch(l, @"^\s*\d+/\d+ ")).ToArray();

    [Fact]
    public void EveryLineFitsEightyColumns()
    {
        string save = _dir.PathOf("a-model-file-with-a-rather-long-name-to-make-the-saved-line-long.simd");
        var (code, output, error) = Run("train", "--data", "digits", "--epochs", "2", "--save", save, "--checkpoint", save + ".ckpt");

        Assert.True(code == 0, error);
        Assert.All(output.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= TextLayout.Width, $"{l.Length} columns: {l}"));
        Assert.Contains(Lines(output), l => l.StartsWith("data: digits", StringComparison.Ordinal));
        Assert.Contains(Lines(output), l => l.StartsWith("model: 64-256-128-10", StringComparison.Ordinal));
    }

    [Fact]
    public void OneEpochIsSingularAndTimesBelowASecondAreMilliseconds()
    {
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", "--layers", "8");

        Assert.True(code == 0, error);
        Assert.Matches(@"^trained 1 epoch in (\d+ ms|<1 ms|\d+\.\d s)$", Lines(output).Single(l => l.StartsWith("trained", StringComparison.Ordinal)));
        Assert.Matches(@"( \d+ ms| <1 ms)( \*)?$", EpochRows(output).Single());
        Assert.DoesNotContain("0.0s", output);
    }

    [Fact]
    public void AResumedRunNamesTheEpochsItTrained()
    {
        string checkpoint = _dir.PathOf("run.ckpt");
        var (code, _, error) = Run("train", "--data", "iris", "--epochs", "4", "--layers", "8", "--checkpoint", checkpoint);
        Assert.True(code == 0, error);

        // 12 epochs where the checkpoint holds 4 (another schedule, but the counting is what is tested here).
        (code, string resumed, error) = Run("train", "--data", "iris", "--epochs", "12", "--layers", "8", "--checkpoint", checkpoint);

        Assert.True(code == 0, error);
        Assert.Contains("resumed from", resumed);
        Assert.Contains("trained epochs 5–12 (8 this run) in ", resumed);
        Assert.Equal(8, EpochRows(resumed).Length);

        (code, string again, error) = Run("train", "--data", "iris", "--epochs", "12", "--layers", "8", "--checkpoint", checkpoint);
        Assert.True(code == 0, error);
        Assert.Contains("nothing left to train: the checkpoint is at epoch 12", again);
    }

    [Fact]
    public void TheLastEpochReportsTheRateItsStepsUsedAndNeverZero()
    {
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "3", "--layers", "8");

        Assert.True(code == 0, error);
        string[] rows = EpochRows(output);
        var rates = rows.Select(r => double.Parse(Regex.Match(r, @"\s(\S+)\s+(<1 ms|\d+ ms|[\d.]+ s)( \*)?$").Groups[1].Value, CultureInfo.InvariantCulture))
                        .ToArray();
        Assert.All(rates, r => Assert.True(r > 0, string.Join("\n", rows)));
        Assert.True(rates[0] > rates[1] && rates[1] > rates[2], string.Join("\n", rows));
    }

    [Fact]
    public void EpochRateIsTheMeanOfItsStepsRates()
    {
        var rates = new List<float>();
        var epochs = new List<EpochResult>();
        using var model = new Simd.Runtime.Models.ModelBuilder(4).Dense(3).Build(seed: 1);
        var options = new TrainerOptions
        {
            Epochs = 2, BatchSize = 10, Schedule = new Simd.Runtime.Optimization.CosineLearningRate(0.1f),
            BatchCompleted = b => rates.Add(b.LearningRate), EpochCompleted = epochs.Add,
        };
        var data = Simd.Runtime.Data.DatasetRegistry.TryGet("iris", out var iris) ? iris.Load() : throw new InvalidOperationException();
        new Trainer(model, new Simd.Runtime.Losses.SoftmaxCrossEntropyLoss(), new Simd.Runtime.Optimization.Sgd(), options).Fit(data);

        int perEpoch = rates.Count / 2;
        Assert.Equal(rates.Take(perEpoch).Average(), epochs[0].LearningRate, 5);
        Assert.Equal(rates.Skip(perEpoch).Average(), epochs[1].LearningRate, 5);
        Assert.True(rates[^1] > 0);
    }

    [Theory]
    [InlineData(0.003f, "0.003")]
    [InlineData(0.00227f, "0.00227")]
    [InlineData(2.27e-6f, "2.27e-6")]
    [InlineData(10f, "10")]
    [InlineData(0f, "0")]
    public void RatesKeepThreeSignificantDigits(float rate, string text) => Assert.Equal(text, TextLayout.Rate(rate));

    [Theory]
    [InlineData(0.0123, "12 ms")]
    [InlineData(0.9994, "999 ms")]
    [InlineData(1.25, "1.2 s")]
    [InlineData(250, "250 s")]
    public void DurationsUseMillisecondsBelowASecond(double seconds, string text) =>
        Assert.Equal(text, TextLayout.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void LongLinesBreakAtSemicolonsThenCommasThenSpaces()
    {
        string text = "data: " + string.Join("; ", Enumerable.Range(1, 12).Select(i => $"part {i}, more"));
        string[] lines = TextLayout.Wrap(text).ToArray();

        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  ", l));
        Assert.All(lines.Take(lines.Length - 1), l => Assert.EndsWith(";", l));
        Assert.Equal(text, string.Join(" ", lines.Select(l => l.Trim())));

        string word = new('x', 200);
        Assert.Equal(word, string.Concat(TextLayout.Wrap(word).Select(l => l.Trim())));
        Assert.All(TextLayout.Wrap(word), l => Assert.True(l.Length <= 80));
    }

    [Fact]
    public void BatchSizeOneWithBatchNormIsRefusedBeforeTraining()
    {
        var (code, output, error) = Run("train", "--data", "iris", "--batch-size", "1");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("--batch-size 2 or more", error);
        Assert.Contains("--batch-norm false", error);

        (code, _, error) = Run("train", "--data", "iris", "--batch-size", "1", "--batch-norm", "false", "--epochs", "1", "--layers", "8");
        Assert.True(code == 0, error);
    }

    [Fact]
    public void DivergenceNamesTheEpochStepRateAndWhatToTry()
    {
        var (code, _, error) = Run("train", "--data", "digits", "--lr", "10", "--optimizer", "sgd", "--batch-norm", "false", "--dropout", "0", "--epochs", "3");

        Assert.Equal(1, code);
        Assert.StartsWith("error: training diverged: the loss became NaN", error);
        Assert.Matches(@"in epoch 1, step \d+ of 41 \(learning rate [\d.]+\)", error);
        Assert.Contains("--lr", error);
        Assert.Contains("--clip-norm", error);
        Assert.Contains("scaling", error);
        Assert.DoesNotContain("row 0 column 0", error);
    }

    [Fact]
    public void ARunAtChanceLevelSaysSoAndStillSucceeds()
    {
        // Labels drawn independently of the features: nothing to learn.
        string path = _dir.PathOf("noise.csv");
        var random = new Random(5);
        File.WriteAllLines(path, Enumerable.Range(0, 300).Select(_ =>
            string.Create(CultureInfo.InvariantCulture, $"{random.NextDouble()},{random.NextDouble()},{random.Next(3)}")));

        var (code, output, error) = Run("train", "--data", path, "--epochs", "5", "--layers", "8");

        Assert.True(code == 0, error);
        string joined = output.Replace("\n  ", " ", StringComparison.Ordinal);
        Assert.Contains("is not above chance", joined);
        Assert.Contains("try another --lr", joined);
        Assert.StartsWith("test accuracy: ", Lines(output)[^1]);
    }

    [Fact]
    public void ALearnedRunIsNotCalledChance()
    {
        var (code, output, error) = Run("train", "--data", "breast-cancer", "--epochs", "10", "--layers", "16");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("chance", output);
    }

    [Fact]
    public void ChanceThresholdFollowsTheDocumentedMargin()
    {
        Assert.Equal(0.148, ChanceLevel.Threshold(0.1, 359), 3);
        Assert.Equal(0.52, ChanceLevel.Threshold(0.5, 1_000_000), 3);
    }

    [Fact]
    public void TrainedLineCountsThisRunsEpochs()
    {
        EpochResult E(int epoch) => new(epoch, 1, 0.5, 1, 0.5, double.NaN, 0.01f, false, TimeSpan.Zero);
        var elapsed = TimeSpan.FromMilliseconds(12);
        Assert.Equal("trained 1 epoch in 12 ms", TrainingRun.Trained(new TrainingHistory([E(1)], 1, false), 0, elapsed));
        Assert.Equal("trained 3 epochs in 12 ms", TrainingRun.Trained(new TrainingHistory([E(1), E(2), E(3)], 1, false), 0, elapsed));
        Assert.Equal("trained epochs 5–12 (8 this run) in 12 ms",
            TrainingRun.Trained(new TrainingHistory(Enumerable.Range(1, 12).Select(E).ToArray(), 1, false), 4, elapsed));
        Assert.Equal("trained epochs 3–4 (2 this run) in 12 ms, stopped early; weights of epoch 2 restored",
            TrainingRun.Trained(new TrainingHistory(Enumerable.Range(1, 4).Select(E).ToArray(), 2, true), 2, elapsed));
    }
}
