using Simd.Models.Cli;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Training;

internal enum LossChoice
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

internal enum OptimizerChoice
{
    Sgd,
    Momentum,
    Nesterov,
    Adam,
    AdamW,
    RmsProp,
    Adagrad,
}

internal enum ScheduleChoice
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

    public static readonly NamedChoices<ActivationKind> Activations = new("activation",
        ("relu", ActivationKind.Relu),
        ("leaky-relu|leakyrelu", ActivationKind.LeakyRelu),
        ("elu", ActivationKind.Elu),
        ("selu", ActivationKind.Selu),
        ("sigmoid", ActivationKind.Sigmoid),
        ("tanh", ActivationKind.Tanh),
        ("gelu|gelu-erf", ActivationKind.GeluErf),
        ("gelu-tanh", ActivationKind.GeluTanh),
        ("silu|swish", ActivationKind.Silu),
        ("softplus", ActivationKind.Softplus),
        ("softsign", ActivationKind.Softsign),
        ("hard-sigmoid|hardsigmoid", ActivationKind.HardSigmoid),
        ("hard-swish|hardswish", ActivationKind.HardSwish),
        ("mish", ActivationKind.Mish),
        ("identity|linear|none", ActivationKind.Identity));

    /// <summary>The learning rate each optimizer starts from when --lr is not given.</summary>
    public static float DefaultLearningRate(OptimizerChoice optimizer) => optimizer switch
    {
        OptimizerChoice.Sgd => 0.1f,
        OptimizerChoice.Momentum or OptimizerChoice.Nesterov => 0.05f,
        OptimizerChoice.Adagrad => 0.05f,
        _ => 1e-3f,
    };
}
