using System.Globalization;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// ONNX's Adagrad (ai.onnx.preview.training): r = R/(1 + T·decay_factor); g' = norm_coefficient·X + G; H += g'²;
/// X −= r·g'/(sqrt(H) + epsilon). That is torch's Adagrad (<see cref="OptimizerUpdates.Adagrad(Span{float}, ReadOnlySpan{float}, Span{float}, float, float, float, float, long)"/>)
/// at step T + 1 with learning-rate decay decay_factor and weight decay norm_coefficient. Outputs X₁'…Xₙ', H₁'…Hₙ'.
/// </summary>
public sealed class AdagradOp : OptimizerUpdateOp
{
    public const string Name = "adagrad-update";

    public AdagradOp(int tensors, float decayFactor = 0, float epsilon = 0, float normCoefficient = 0) : base(tensors)
    {
        RequireFinite("adagrad-update", ("decay_factor", decayFactor), ("epsilon", epsilon), ("norm_coefficient", normCoefficient));
        DecayFactor = decayFactor;
        Epsilon = epsilon;
        NormCoefficient = normCoefficient;
    }

    public override string Kind => Name;

    public override int StatesPerTensor => 1;

    public float DecayFactor { get; }
    public float Epsilon { get; }
    public float NormCoefficient { get; }

    internal static Op Create(OpAttributes a) =>
        new AdagradOp(ReadTensorCount(a), Finite(a, "decay_factor", 0), Finite(a, "epsilon", 0), Finite(a, "norm_coefficient", 0));

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        attributes.Set("decay_factor", DecayFactor).Set("epsilon", Epsilon).Set("norm_coefficient", NormCoefficient);
    }

    private protected override string Role(int g) => g == 1 ? "gradient G" : "accumulated squares H";

    private protected override void Update(in OpContext context, int t, int at, int length, Span<float> x, ReadOnlySpan<float> g, float rate, long count) =>
        OptimizerUpdates.Adagrad(x, g, State(context, 0, t, at, length), rate, Epsilon, NormCoefficient, DecayFactor, count + 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"AdagradUpdate({TensorCount}, decay {DecayFactor}, epsilon {Epsilon})");
}
