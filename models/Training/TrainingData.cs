using Simd.Runtime.Data;

namespace Simd.Models.Training;

/// <summary>The splits a training run uses, scaled with statistics of the training split only.</summary>
internal sealed record TrainingData(string Name, Dataset Train, Dataset? Validation, Dataset Test, FeatureScaler Scaler)
{
    /// <summary>One 0/1 target per sample: a sigmoid output trained with binary cross-entropy.</summary>
    public bool IsBinary => !Train.IsMultiClass && Train.TargetCount == 1;

    /// <summary>Resolves --data, splits test (and validation) off the training samples and fits the scaling.</summary>
    public static TrainingData Prepare(TrainOptions options)
    {
        DatasetSplit split;
        string name;
        if (DatasetRegistry.TryGet(options.Data, out KnownDataset known))
        {
            name = known.Name;
            split = known.LoadSplit(options.TestFraction, options.Seed);
        }
        else if (File.Exists(options.Data))
        {
            Dataset all = CsvLoader.Load(options.Data, new CsvOptions { LabelColumn = options.LabelColumn });
            name = all.Name;
            // Two classes train best as one sigmoid output, unless a loss that wants one output per class is asked for.
            if (all.ClassCount == 2 && options.Loss is LossChoice.Auto or LossChoice.BinaryCrossEntropy) all = ToBinaryTarget(all);
            split = StratifiedSplitter.Split(all, options.TestFraction, options.Seed);
        }
        else
        {
            throw new ArgumentException(
                $"--data '{options.Data}' is neither a known dataset ({string.Join(", ", DatasetRegistry.Names)}) nor an existing CSV file.");
        }

        Dataset train = split.Train;
        Dataset? validation = null;
        if (options.ValidationFraction > 0)
        {
            // A different seed than the test split's, so that the two draws are independent.
            DatasetSplit inner = StratifiedSplitter.Split(train, options.ValidationFraction, unchecked(options.Seed + 7919));
            train = inner.Train;
            validation = inner.Test;
        }
        FeatureScaler scaler = FeatureScaler.Fit(train, options.Scaling);
        scaler.Transform(train);
        if (validation is not null) scaler.Transform(validation);
        scaler.Transform(split.Test);
        return new TrainingData(name, train, validation, split.Test, scaler);
    }

    private static Dataset ToBinaryTarget(Dataset classes)
    {
        var targets = new float[classes.Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = classes.Labels![i];
        return new Dataset(classes.Name, classes.Features, classes.FeatureCount, targets, 1);
    }
}
