using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>
/// Rewrites a plan into the fewest steps that compute the same function: identities (dropout, flatten) removed,
/// each batch norm folded into the Dense before it (when no activation separates them) or else into the Dense
/// after it, and an activation fused into the Dense before it. What cannot merge stays a step of its own.
/// </summary>
internal static class InferencePlanFolding
{
    public static InferencePlan Fold(InferencePlan plan)
    {
        var folded = new List<InferenceStep>();
        AffineStep? pending = null;   // a batch norm waiting for the Dense after it
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case IdentityStep:
                    break;
                case ActivationStep { Kind: ActivationKind.Identity }:
                    break;
                case BatchNormStep bn:
                    var affine = Affine(bn);
                    if (pending is not null)
                        pending = Compose(pending, affine);
                    else if (folded.Count > 0 && folded[^1] is DenseStep { Activation: ActivationKind.Identity } before)
                        folded[^1] = ScaleOutputs(before, affine);
                    else
                        pending = affine;
                    break;
                case AffineStep a:
                    pending = pending is null ? a : Compose(pending, a);
                    break;
                case ActivationStep act:
                    Flush(folded, ref pending);
                    if (folded.Count > 0 && folded[^1] is DenseStep { Activation: ActivationKind.Identity } last)
                        folded[^1] = last with { Activation = act.Kind, Alpha = act.Alpha };
                    else
                        folded.Add(act);
                    break;
                case DenseStep dense:
                    var copy = dense with { Weights = (float[])dense.Weights.Clone(), Bias = (float[])dense.Bias.Clone() };
                    if (pending is not null)
                    {
                        copy = ScaleInputs(copy, pending);
                        pending = null;
                    }
                    folded.Add(copy);
                    break;
                default:
                    throw new NotSupportedException($"Inference cannot run a {step.GetType().Name}.");
            }
        }
        Flush(folded, ref pending);
        if (folded.Count == 0) folded.Add(new ActivationStep(ActivationKind.Identity, 0f));
        return new InferencePlan(plan.InputSize, folded);
    }

    private static void Flush(List<InferenceStep> folded, ref AffineStep? pending)
    {
        if (pending is null) return;
        folded.Add(pending);
        pending = null;
    }

    /// <summary>scale = γ/√(σ²+ε), shift = β − μ·scale, in double so that folding adds no error of its own.</summary>
    private static AffineStep Affine(BatchNormStep bn)
    {
        var scale = new float[bn.Features];
        var shift = new float[bn.Features];
        for (int f = 0; f < bn.Features; f++)
        {
            double s = bn.Gamma[f] / Math.Sqrt((double)bn.Variance[f] + bn.Epsilon);
            scale[f] = (float)s;
            shift[f] = (float)(bn.Beta[f] - bn.Mean[f] * s);
        }
        return new AffineStep(bn.Features, scale, shift);
    }

    /// <summary>Second affine after the first: x·s1·s2 + (t1·s2 + t2).</summary>
    private static AffineStep Compose(AffineStep first, AffineStep second)
    {
        var scale = new float[first.Features];
        var shift = new float[first.Features];
        for (int f = 0; f < first.Features; f++)
        {
            scale[f] = (float)((double)first.Scale[f] * second.Scale[f]);
            shift[f] = (float)((double)first.Shift[f] * second.Scale[f] + second.Shift[f]);
        }
        return new AffineStep(first.Features, scale, shift);
    }

    /// <summary>Affine after the Dense: W'[i,j] = W[i,j]·scale[j], b'[j] = b[j]·scale[j] + shift[j].</summary>
    private static DenseStep ScaleOutputs(DenseStep dense, AffineStep affine)
    {
        var w = new float[dense.Weights.Length];
        var b = new float[dense.Outputs];
        for (int i = 0; i < dense.Inputs; i++)
            for (int j = 0; j < dense.Outputs; j++)
                w[i * dense.Outputs + j] = (float)((double)dense.Weights[i * dense.Outputs + j] * affine.Scale[j]);
        for (int j = 0; j < dense.Outputs; j++)
            b[j] = (float)((double)dense.Bias[j] * affine.Scale[j] + affine.Shift[j]);
        return dense with { Weights = w, Bias = b };
    }

    /// <summary>Affine before the Dense: W'[i,j] = scale[i]·W[i,j], b'[j] = b[j] + Σᵢ shift[i]·W[i,j].</summary>
    private static DenseStep ScaleInputs(DenseStep dense, AffineStep affine)
    {
        var w = dense.Weights;
        var b = dense.Bias;
        var sums = new double[dense.Outputs];
        for (int j = 0; j < dense.Outputs; j++) sums[j] = b[j];
        for (int i = 0; i < dense.Inputs; i++)
            for (int j = 0; j < dense.Outputs; j++)
            {
                int at = i * dense.Outputs + j;
                sums[j] += (double)affine.Shift[i] * w[at];
                w[at] = (float)((double)w[at] * affine.Scale[i]);
            }
        for (int j = 0; j < dense.Outputs; j++) b[j] = (float)sums[j];
        return dense;
    }
}
