using Simd.Models.Cli;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Models.Training;

/// <summary>
/// The network <c>train</c> builds: the MLP of <c>--layers</c>, a convolutional network over square images, or a
/// recurrent one over their rows.
/// </summary>
public enum ModelChoice
{
    Mlp,
    LeNet,
    ResNet,
    Lstm,
    Gru,
    Rnn,
}

public enum LossChoice
{
    /// <summary>Cross-entropy for class labels, binary cross-entropy for a single 0/1 target.</summary>
    Auto,
    CrossEntropy,
    BinaryCrossEntropy,
    Hinge,
    MeanSquaredError,
    L1,
    Huber,
}

public enum OptimizerChoice
{
    Sgd,
    Momentum,
    Nesterov,
    Adam,
    AdamW,
    RmsProp,
    Adagrad,
}

public enum ScheduleChoice
{
    Constant,
    Step,
    Cosine,
    /// <summary>Linear warm-up over the first epochs, then cosine decay.</summary>
    Warmup,
}

/// <summary>The names the command line accepts for each choice.</summary>
internal static class TrainChoices
{
    public static readonly NamedChoices<LossChoice> Losses = new("loss",
        ("auto", LossChoice.Auto),
        ("cross-entropy|ce|softmax", LossChoice.CrossEntropy),
        ("bce|binary-cross-entropy|sigmoid", LossChoice.BinaryCrossEntropy),
        ("hinge|svm", LossChoice.Hinge),
        ("mse", LossChoice.MeanSquaredError),
        ("l1|mae", LossChoice.L1),
        ("huber", LossChoice.Huber));

    public static readonly NamedChoices<ModelChoice> Models = new("model",
        ("mlp", ModelChoice.Mlp),
        ("lenet|lenet5", ModelChoice.LeNet),
        ("resnet", ModelChoice.ResNet),
        ("lstm", ModelChoice.Lstm),
        ("gru", ModelChoice.Gru),
        ("rnn", ModelChoice.Rnn));

    /// <summary>The networks that read an image's rows as a sequence rather than the image as a grid.</summary>
    public static bool IsRecurrent(ModelChoice model) => model is ModelChoice.Lstm or ModelChoice.Gru or ModelChoice.Rnn;

    public static readonly NamedChoices<OptimizerChoice> Optimizers = new("optimizer",
        ("sgd", OptimizerChoice.Sgd),
        ("momentum", OptimizerChoice.Momentum),
        ("nesterov", OptimizerChoice.Nesterov),
        ("adam", OptimizerChoice.Adam),
        ("adamw", OptimizerChoice.AdamW),
        ("rmsprop", OptimizerChoice.RmsProp),
        ("adagrad", OptimizerChoice.Adagrad));

    public static readonly NamedChoices<ScheduleChoice> Schedules = new("schedule",
        ("constant", ScheduleChoice.Constant),
        ("step", ScheduleChoice.Step),
        ("cosine", ScheduleChoice.Cosine),
        ("warmup", ScheduleChoice.Warmup));

    public static readonly NamedChoices<FeatureScaling> Scalings = new("scaling",
        ("standardize|standard|zscore", FeatureScaling.Standardize),
        ("minmax|min-max", FeatureScaling.MinMax),
        ("none", FeatureScaling.None));

    // Declared before Activations, which reads it while the type initializes.
    private static readonly Dictionary<string, string> ActivationAliases = new()
    {
        ["leaky-relu"] = "leakyrelu", ["gelu"] = "gelu-erf", ["silu"] = "swish", ["hard-sigmoid"] = "hardsigmoid",
        ["hard-swish"] = "hardswish", ["identity"] = "linear|none",
    };

    /// <summary>The ops' stable activation names (what model files store), with the spellings users also type.</summary>
    public static readonly NamedChoices<ActivationKind> Activations = new("activation",
        [.. OpNames.Activations.Select(a => (ActivationAliases.TryGetValue(a.Name, out string? more) ? a.Name + "|" + more : a.Name, a.Kind))]);

    /// <summary>The learning rate each optimizer starts from when --lr is not given.</summary>
    public static float DefaultLearningRate(OptimizerChoice optimizer) => optimizer switch
    {
        OptimizerChoice.Sgd => 0.1f,
        OptimizerChoice.Momentum or OptimizerChoice.Nesterov => 0.05f,
        OptimizerChoice.Adagrad => 0.05f,
        OptimizerChoice.Adam or OptimizerChoice.AdamW => 3e-3f,
        _ => 1e-3f,
    };

    /// <summary>
    /// Label smoothing of the softmax cross-entropy when --label-smoothing is not given: on digits it lifts the
    /// held-out accuracy of the default MLP by about half a point across seeds.
    /// </summary>
    public const float DefaultLabelSmoothing = 0.1f;
}
