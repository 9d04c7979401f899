using Simd.Runtime.Data;

namespace Simd.Models.Experiments;

/// <summary>
/// The data of the training experiments: the shipped digits for --quick, Fashion-MNIST for full runs; split into
/// train, validation and test (seeded, stratified), standardized with the training split's statistics.
/// </summary>
internal sealed record ExperimentData(string Name, Dataset Train, Dataset Validation, Dataset Test)
{
    /// <summary>Where the full runs look for Fashion-MNIST (tests point it at a missing folder to see the message).</summary>
    internal static string FashionMnistDirectory { get; set; } = DatasetRegistry.FashionMnistDirectory;

    public static bool FashionMnistInstalled => DatasetRegistry.Get("fashion-mnist").IsAvailable(FashionMnistDirectory);

    public static string FashionMnistMissing(string experiment) =>
        $"the full run of '{experiment}' trains on Fashion-MNIST, which is not installed in {FashionMnistDirectory} " +
        $"(install it with `{DatasetRegistry.FashionMnistInstallCommand}`); `experiment {experiment} --quick` runs on the shipped digits instead.";

    public int Classes => Train.ClassCount;

    public int Features => Train.FeatureCount;

    public string Describe() => $"{Name}: train {Train.Count}, validation {Validation.Count}, test {Test.Count} samples of {Features} features, {Classes} classes";

    public static ExperimentData Load(bool quick, int seed = 1)
    {
        DatasetSplit split = quick
            ? DatasetRegistry.Get("digits").LoadSplit(0.2, seed)
            : DatasetRegistry.Get("fashion-mnist").LoadSplit(0.2, seed, FashionMnistDirectory);
        DatasetSplit trainValidation = StratifiedSplitter.Split(split.Train, 0.1, seed);
        var scaler = FeatureScaler.Fit(trainValidation.Train, FeatureScaling.Standardize);
        foreach (Dataset d in new[] { trainValidation.Train, trainValidation.Test, split.Test }) scaler.Transform(d);
        return new ExperimentData(quick ? "digits" : "fashion-mnist", trainValidation.Train, trainValidation.Test, split.Test);
    }
}
