namespace Simd.Models.Experiments;

/// <summary>Every experiment, in the order `experiment all` runs them and the index lists them.</summary>
internal static class ExperimentCatalog
{
    public const string All = "all";

    public static IReadOnlyList<Experiment> Experiments { get; } =
    [
        new BackpropExperiment(),
        new BatchSizeExperiment(),
        new EpochsAndBatchesExperiment(),
        new SigmoidVsSoftmaxExperiment(),
        new HingeVsSoftmaxExperiment(),
        new BatchNormExperiment(),
        new VanishingGradientsExperiment(),
        new ActivationsExperiment(),
        new TipsExperiment(),
    ];

    public static IEnumerable<string> Names => Experiments.Select(e => e.Name);

    public static Experiment? Find(string name) => Experiments.FirstOrDefault(e => e.Name == name);

    /// <summary>The names a user may give, for messages and help.</summary>
    public static string Expected => string.Join(", ", Names.Append(All));
}
