using System.Globalization;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// ONNX's Adam (ai.onnx.preview.training): g' = norm_coefficient·X + G; V = alpha·V + (1 − alpha)·g';
/// H = beta·H + (1 − beta)·g'²; X −= R·sqrt(1 − beta^T)/(1 − alpha^T)·V/(sqrt(H) + epsilon), with no bias correction
/// at T = 0; then X ·= 1 − norm_coefficient_post. Computed with <see cref="OptimizerUpdates.Adam(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, float, float, float, float, float, bool, long)"/>
/// (torch's form) at step max(T, 1): dividing through by sqrt(1 − beta^T) gives epsilon' = epsilon/sqrt(1 − beta^T),
/// and at T = 0 the learning rate R·(1 − alpha)/sqrt(1 − beta) cancels the correction torch's form always applies.
/// Outputs X₁'…Xₙ', V₁'…Vₙ', H₁'…Hₙ'.
/// </summary>
public sealed class AdamOp : OptimizerUpdateOp
{
    public const string Name = "adam-update";

    public AdamOp(int tensors, float alpha = 0.9f, float beta = 0.999f, float epsilon = 1e-6f, float normCoefficient = 0, float normCoefficientPost = 0)
        : base(tensors)
    {
        RequireFinite("adam-update", ("alpha", alpha), ("beta", beta), ("epsilon", epsilon), ("norm_coefficient", normCoefficient), ("norm_coefficient_post", normCoefficientPost));
        Alpha = alpha;
        Beta = beta;
        Epsilon = epsilon;
        NormCoefficient = normCoefficient;
        NormCoefficientPost = normCoefficientPost;
    }

    public override string Kind => Name;

    public override int StatesPerTensor => 2;

    public float Alpha { get; }
    public float Beta { get; }
    public float Epsilon { get; }
    public float NormCoefficient { get; }
    public float NormCoefficientPost { get; }

    internal static Op Create(OpAttributes a) => new AdamOp(ReadTensorCount(a), Finite(a, "alpha", 0.9f), Finite(a, "beta", 0.999f),
        Finite(a, "epsilon", 1e-6f), Finite(a, "norm_coefficient", 0), Finite(a, "norm_coefficient_post", 0));

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        attributes.Set("alpha", Alpha).Set("beta", Beta).Set("epsilon", Epsilon).Set("norm_coefficient", NormCoefficient).Set("norm_coefficient_post", NormCoefficientPost);
    }

    private protected override string Role(int g) => g switch { 1 => "gradient G", 2 => "first moment V", _ => "second moment H" };

    private protected override void Update(in OpContext context, int t, int at, int length, Span<float> x, ReadOnlySpan<float> g, float rate, long count)
    {
        long step = Math.Max(count, 1);
        double correction2 = Math.Sqrt(1 - Math.Pow(Beta, step));
        float epsilon = (float)(Epsilon / correction2);
        float learningRate = count > 0 ? rate : (float)(rate * (1 - Math.Pow(Alpha, step)) / correction2);
        OptimizerUpdates.Adam(x, g, State(context, 0, t, at, length), State(context, 1, t, at, length), learningRate, Alpha, Beta, epsilon,
            NormCoefficient, decoupledWeightDecay: false, step);
        if (NormCoefficientPost != 0)
        {
            float keep = 1 - NormCoefficientPost;
            for (int i = 0; i < x.Length; i++) x[i] *= keep;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"AdamUpdate({TensorCount}, alpha {Alpha}, beta {Beta}, epsilon {Epsilon})");
}
