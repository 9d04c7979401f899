namespace Simd.Perf.Training;

/// <summary>Where <see cref="TrainingStep.Mlp"/> puts a batch norm in each hidden layer.</summary>
public enum BatchNormPlacement
{
    None,

    /// <summary>Dense → BatchNorm → ReLU.</summary>
    BeforeRelu,

    /// <summary>Dense → ReLU → BatchNorm: a unit that is dead for the whole batch feeds it zeros.</summary>
    AfterRelu,
}
