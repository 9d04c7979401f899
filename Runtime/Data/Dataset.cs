namespace Simd.Runtime.Data;

/// <summary>
/// An in-memory dataset: <see cref="Count"/> samples of <see cref="FeatureCount"/> floats, row-major, with either
/// integer class labels (multi-class) or a float target vector per sample (multi-label 0/1 targets, regression).
/// </summary>
public sealed class Dataset
{
    /// <summary>A multi-class dataset: one label in [0, classCount) per sample.</summary>
    public Dataset(string name, float[] features, int featureCount, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        Validate(name, features.Length, featureCount, labels.Length);
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A dataset needs at least one class.");
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Dataset '{name}': label {labels[i]} of sample {i} is outside the {classCount} classes [0, {classCount - 1}].", nameof(labels));
        }
        Name = name;
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        ClassCount = classCount;
        TargetCount = classCount;
        Count = labels.Length;
    }

    /// <summary>A dataset with a float target vector of <paramref name="targetCount"/> values per sample.</summary>
    public Dataset(string name, float[] features, int featureCount, float[] targets, int targetCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (targetCount < 1) throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, "A dataset needs at least one target per sample.");
        if (targets.Length % targetCount != 0)
            throw new ArgumentException($"Dataset '{name}': {targets.Length} targets is not a multiple of {targetCount} per sample.", nameof(targets));
        Validate(name, features.Length, featureCount, targets.Length / targetCount);
        Name = name;
        Features = features;
        FeatureCount = featureCount;
        Targets = targets;
        TargetCount = targetCount;
        Count = targets.Length / targetCount;
    }

    public string Name { get; }

    public int Count { get; }

    public int FeatureCount { get; }

    /// <summary>Count × FeatureCount, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Class labels (multi-class datasets), else null.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of classes (multi-class), 0 otherwise.</summary>
    public int ClassCount { get; }

    /// <summary>Count × TargetCount target values (multi-label or regression datasets), else null.</summary>
    public float[]? Targets { get; }

    /// <summary>Width of the model output this dataset trains: ClassCount, or the target vector length.</summary>
    public int TargetCount { get; }

    public bool IsMultiClass => Labels is not null;

    public ReadOnlySpan<float> Sample(int index) => Features.AsSpan(checked(index * FeatureCount), FeatureCount);

    public ReadOnlySpan<float> Target(int index) =>
        Targets is null ? throw new InvalidOperationException($"Dataset '{Name}' has class labels, not target vectors.")
                        : Targets.AsSpan(checked(index * TargetCount), TargetCount);

    /// <summary>A new dataset holding copies of the given samples, in the given order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var features = new float[checked(indices.Length * FeatureCount)];
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Sample index outside [0, {Count - 1}] of dataset '{Name}'.");
            Sample(indices[i]).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
        }
        name ??= Name;
        if (Labels is not null)
        {
            var labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = Labels[indices[i]];
            return new Dataset(name, features, FeatureCount, labels, ClassCount);
        }
        var targets = new float[checked(indices.Length * TargetCount)];
        for (int i = 0; i < indices.Length; i++) Target(indices[i]).CopyTo(targets.AsSpan(i * TargetCount, TargetCount));
        return new Dataset(name, features, FeatureCount, targets, TargetCount);
    }

    private static void Validate(string name, int featureLength, int featureCount, int samples)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "A sample needs at least one feature.");
        if (featureLength != (long)samples * featureCount)
            throw new ArgumentException(
                $"Dataset '{name}': {featureLength} feature values, expected {samples} samples × {featureCount} features = {(long)samples * featureCount}.");
    }
}
