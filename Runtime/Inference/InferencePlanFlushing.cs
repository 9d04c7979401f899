using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>
/// Replaces subnormal weights, biases and batch-norm scales of a folded plan with +0, once at freezing: .NET has no
/// flush-to-zero mode, and a subnormal operand costs x86 cores up to a hundred times an ordinary one in every
/// product it enters, on every call. A subnormal weight changes no output by more than 2⁻¹²⁶ times its input.
/// Arrays are copied before they are changed, and only when they hold a subnormal.
/// </summary>
internal static class InferencePlanFlushing
{
    public static InferencePlan Flush(InferencePlan plan)
    {
        var steps = new InferenceStep[plan.Steps.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = plan.Steps[i] switch
            {
                DenseStep d => d with { Weights = Flushed(d.Weights), Bias = Flushed(d.Bias) },
                AffineStep a => a with { Scale = Flushed(a.Scale), Shift = Flushed(a.Shift) },
                BatchNormStep bn => bn with
                {
                    Gamma = Flushed(bn.Gamma), Beta = Flushed(bn.Beta), Mean = Flushed(bn.Mean), Variance = Flushed(bn.Variance),
                },
                var other => other,
            };
        }
        return new InferencePlan(plan.InputSize, steps);
    }

    private static float[] Flushed(float[] values)
    {
        if (Subnormals.Count(values) == 0) return values;
        var copy = (float[])values.Clone();
        Subnormals.FlushToZero(copy);
        return copy;
    }
}
