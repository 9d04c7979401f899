using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>
/// A sequential network as plain steps with their weights, the form freezing starts from and
/// <see cref="InferencePlanFolding"/> rewrites. Steps own their arrays; nothing here is shared with a training model.
/// </summary>
internal sealed class InferencePlan
{
    public InferencePlan(int inputSize, IReadOnlyList<InferenceStep> steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        if (steps.Count == 0) throw new ArgumentException("A plan needs at least one step.", nameof(steps));
        int width = inputSize;
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].InputSize(width) is int expected && expected != width)
                throw new ArgumentException($"Step {i} ({steps[i]}) takes {expected} features, but {width} arrive.", nameof(steps));
            width = steps[i].OutputSize(width);
        }
        InputSize = inputSize;
        OutputSize = width;
        Steps = steps;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public IReadOnlyList<InferenceStep> Steps { get; }

    public override string ToString() => $"{InputSize} → {string.Join(" → ", Steps)}";
}

/// <summary>One step of an <see cref="InferencePlan"/>.</summary>
internal abstract record InferenceStep
{
    /// <summary>Features the step requires, or null when it takes any width.</summary>
    public virtual int? InputSize(int arriving) => null;

    public virtual int OutputSize(int arriving) => arriving;
}

/// <summary>y = act(x·W + b), W [Inputs × Outputs] row-major.</summary>
internal sealed record DenseStep(int Inputs, int Outputs, float[] Weights, float[] Bias, ActivationKind Activation, float Alpha) : InferenceStep
{
    public override int? InputSize(int arriving) => Inputs;

    public override int OutputSize(int arriving) => Outputs;

    public override string ToString() => $"Dense({Inputs}→{Outputs}, {Activation})";
}

/// <summary>Evaluation-mode batch normalization with running statistics.</summary>
internal sealed record BatchNormStep(int Features, float[] Gamma, float[] Beta, float[] Mean, float[] Variance, float Epsilon) : InferenceStep
{
    public override int? InputSize(int arriving) => Features;

    public override string ToString() => $"BatchNorm({Features})";
}

/// <summary>y = x·Scale + Shift per feature: a batch norm that folding could not merge into a Dense step.</summary>
internal sealed record AffineStep(int Features, float[] Scale, float[] Shift) : InferenceStep
{
    public override int? InputSize(int arriving) => Features;

    public override string ToString() => $"Affine({Features})";
}

internal sealed record ActivationStep(ActivationKind Kind, float Alpha) : InferenceStep
{
    public override string ToString() => $"Activation({Kind})";
}

/// <summary>A step that is the identity at inference: dropout, flatten.</summary>
internal sealed record IdentityStep(string Name) : InferenceStep
{
    public override string ToString() => Name;
}
