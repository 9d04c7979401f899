using System.Globalization;
using Simd.Models.Data;
using Simd.Runtime.Data;

namespace Simd.Models.Training;

/// <summary>The splits a training run uses, scaled with statistics of the training split only.</summary>
internal sealed record TrainingData(string Name, Dataset Train, Dataset? Validation, Dataset Test, FeatureScaler Scaler)
{
    /// <summary>One 0/1 target per sample: a sigmoid output trained with binary cross-entropy.</summary>
    public bool IsBinary => !Train.IsMultiClass && Train.TargetCount == 1;

    /// <summary>Where the training data came from (and the test data, when no split was drawn from it).</summary>
    public DataOrigin? Origin { get; init; }

    /// <summary>Where a separate test set (--test-data) came from; null when the test samples came with the data.</summary>
    public DataOrigin? TestOrigin { get; init; }

    /// <summary>
    /// Resolves --data, takes the test set from --test-data, the data's own test part (an IDX folder, Fashion-MNIST)
    /// or a split of --test-fraction, splits validation off the training samples and fits the scaling.
    /// </summary>
    public static TrainingData Prepare(TrainOptions options)
    {
        DataArgument data = DataArgument.Resolve("--data", options.Data, standardInput: false);
        DataArgument? testData = options.TestData is string t ? DataArgument.Resolve("--test-data", t, standardInput: false) : null;
        if (data.Kind == DataKind.Known && (options.ClassCount is not null || options.Labels is not null))
            throw new ArgumentException(
                $"{(options.ClassCount is not null ? "--classes" : "--labels")} applies to a file or folder given as --data; the known dataset '{data.Known!.Name}' has its own.");
        if (options.TestLabels is not null && testData is null) throw new ArgumentException("--test-labels needs --test-data: it is the labels file of IDX test images.");

        var labels = new LabelSource(options.LabelColumn, options.ClassCount, options.Labels, "--labels", "--classes");
        var reads = new FileReads();
        Dataset train;
        Dataset? test = null;
        switch (data.Kind)
        {
            case DataKind.Known when data.Known!.HasOfficialSplit:
                DatasetSplit official = data.Known.LoadSplit(options.TestFraction, options.Seed);
                (train, test) = (official.Train, testData is null ? official.Test : null);
                break;
            case DataKind.Known:
                // Split below, as KnownDataset.LoadSplit would, so that a bad --test-fraction is reported in its terms.
                train = data.Known.Load();
                break;
            case DataKind.IdxFolder:
                string name = data.DatasetName;
                train = DataLoader.LoadFolderPart(data, IdxFolder.TrainPrefix, $"{name} (train)", labels, reads, "give a folder with the training pair");
                if (testData is null)
                {
                    test = DataLoader.LoadFolderPart(data, IdxFolder.TestPrefix, $"{name} (test)", labels with { ClassCount = train.ClassCount }, reads,
                        "add the t10k pair, or give a test set with --test-data");
                    RequireSameFeatures(train, test, $"the t10k images of '{data.Text}'");
                }
                break;
            default:
                train = DataLoader.LoadFile(data, labels, reads, NoStandardInput);
                break;
        }

        // Two classes train best as one sigmoid output, unless a loss that wants one output per class is asked for.
        bool binary = data.Kind != DataKind.Known && train.IsMultiClass && train.ClassCount == 2 && options.Loss is LossChoice.Auto or LossChoice.BinaryCrossEntropy;
        if (binary) train = DataLoader.ToBinaryTarget(train);

        DataOrigin? testOrigin = null;
        if (testData is not null)
        {
            var testReads = new FileReads();
            test = LoadTestData(testData, options, train, testReads);
            testOrigin = DataOrigin.Of(testData, testReads, options.TestLabels);
        }
        else if (test is not null && binary)
        {
            test = DataLoader.ToBinaryTarget(test);
        }
        if (test is null)
        {
            DatasetSplit split = SplitOff(train, options.TestFraction, options.Seed, "--test-fraction", "samples", "for the final test");
            (train, test) = (split.Train, split.Test);
        }

        Dataset? validation = null;
        if (options.ValidationFraction > 0)
        {
            // A different seed than the test split's, so that the two draws are independent.
            DatasetSplit inner = SplitOff(train, options.ValidationFraction, unchecked(options.Seed + 7919), "--validation-fraction",
                "training samples", "for validation");
            train = inner.Train;
            validation = inner.Test;
        }
        FeatureScaler scaler = FeatureScaler.Fit(train, options.Scaling);
        scaler.Transform(train);
        if (validation is not null) scaler.Transform(validation);
        scaler.Transform(test);
        return new TrainingData(data.DatasetName, train, validation, test, scaler)
        {
            Origin = DataOrigin.Of(data, reads, options.Labels),
            TestOrigin = testOrigin,
        };
    }

    /// <summary>A separate test set, read with the training data's classes: a label the training data lacks is an error.</summary>
    private static Dataset LoadTestData(DataArgument testData, TrainOptions options, Dataset train, FileReads reads)
    {
        bool binary = !train.IsMultiClass;
        if (binary && train.TargetCount != 1)
            throw new ArgumentException($"--test-data: the training data has {train.TargetCount} targets per sample, which a test file cannot give.");
        int classes = binary ? 2 : train.ClassCount;
        var labels = new LabelSource(options.LabelColumn, classes, options.TestLabels, "--test-labels", ClassesOption: null);
        Dataset test = testData.Kind switch
        {
            DataKind.Known when testData.Known!.HasOfficialSplit => testData.Known.LoadSplit(options.TestFraction, options.Seed).Test,
            DataKind.Known => testData.Known!.Load(),
            DataKind.IdxFolder => DataLoader.LoadFolderPart(testData, IdxFolder.TestPrefix, $"{testData.DatasetName} (test)", labels, reads,
                "a folder given as --test-data holds its test pair"),
            _ => DataLoader.LoadFile(testData, labels, reads, NoStandardInput),
        };
        if (binary && test.IsMultiClass) test = DataLoader.ToBinaryTarget(test);
        if (test.IsMultiClass != train.IsMultiClass || test.TargetCount != train.TargetCount)
            throw new ArgumentException($"--test-data '{testData.Text}' has {Describe(test)}; the training data has {Describe(train)}.");
        RequireSameFeatures(train, test, $"--test-data '{testData.Text}'");
        return test;
    }

    /// <summary>A stratified split whose failure names the option that set the fraction and what to give it instead.</summary>
    private static DatasetSplit SplitOff(Dataset data, double fraction, int seed, string option, string population, string purpose)
    {
        StratifiedSplitPlan plan = StratifiedSplitter.Plan(data, fraction);
        if (!plan.IsValid)
        {
            string value = fraction.ToString(CultureInfo.InvariantCulture);
            bool validation = option == "--validation-fraction";
            string alternative = validation ? $", or {option} 0 for no validation split" : ", or a separate test set with --test-data";
            string remedy = plan.SmallestFraction <= plan.LargestFraction
                ? $"give {option} a value from {Format(plan.SmallestFraction)} to {Format(plan.LargestFraction)}{alternative}"
                : $"no class has two samples to divide, so no fraction works: give more data{alternative}";
            throw new ArgumentException(
                $"{option} {value} holds out {plan.TestCount} of the {data.Count} {population} {purpose} and leaves {plan.TrainCount} for training; " +
                $"both need at least one: {remedy}.");
        }
        return StratifiedSplitter.Split(data, fraction, seed);
    }

    private static void RequireSameFeatures(Dataset train, Dataset test, string what)
    {
        if (test.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"{what} has {test.FeatureCount} features per sample; the training data has {train.FeatureCount}.");
    }

    private static string Describe(Dataset d) => d.IsMultiClass ? $"{d.ClassCount} classes" : $"{d.TargetCount} target{(d.TargetCount == 1 ? "" : "s")} per sample";

    private static string Format(double fraction) => fraction.ToString("0.###", CultureInfo.InvariantCulture);

    private static Stream NoStandardInput() => throw new InvalidOperationException("train does not read standard input.");
}
