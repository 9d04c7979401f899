using System.Globalization;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// ONNX's Momentum (ai.onnx.preview.training): g' = norm_coefficient·X + G; V = alpha·V + beta'·g' with
/// beta' = beta for T &gt; 0 and 1 at T = 0; X −= R·V (mode standard) or X −= R·(g' + alpha·V) (mode nesterov).
/// That is torch's SGD with momentum alpha and dampening 1 − beta' (<see cref="OptimizerUpdates.Sgd(Span{float}, ReadOnlySpan{float}, Span{float}, float, float, float, float, bool, bool)"/>),
/// never its first-step shortcut (V is an input); with alpha = 0, where that kernel keeps no velocity, the same
/// formulas as a plain loop. Outputs X₁'…Xₙ', V₁'…Vₙ'.
/// </summary>
public sealed class MomentumOp : OptimizerUpdateOp
{
    public const string Name = "momentum-update";

    public MomentumOp(int tensors, float alpha, float beta, float normCoefficient = 0, bool nesterov = false) : base(tensors)
    {
        RequireFinite("momentum-update", ("alpha", alpha), ("beta", beta), ("norm_coefficient", normCoefficient));
        Alpha = alpha;
        Beta = beta;
        NormCoefficient = normCoefficient;
        Nesterov = nesterov;
    }

    public override string Kind => Name;

    public override int StatesPerTensor => 1;

    public float Alpha { get; }
    public float Beta { get; }
    public float NormCoefficient { get; }
    public bool Nesterov { get; }

    internal static Op Create(OpAttributes a)
    {
        string mode = a.GetString("mode", "standard");
        if (mode is not ("standard" or "nesterov")) throw a.Bad("mode", $"is '{mode}', expected 'standard' or 'nesterov'");
        return new MomentumOp(ReadTensorCount(a), Finite(a, "alpha", double.NaN), Finite(a, "beta", double.NaN), Finite(a, "norm_coefficient", 0), mode == "nesterov");
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        attributes.Set("alpha", Alpha).Set("beta", Beta).Set("norm_coefficient", NormCoefficient).Set("mode", Nesterov ? "nesterov" : "standard");
    }

    private protected override string Role(int g) => g == 1 ? "gradient G" : "velocity V";

    private protected override void Update(in OpContext context, int t, int at, int length, Span<float> x, ReadOnlySpan<float> g, float rate, long count)
    {
        float scale = count > 0 ? Beta : 1;
        Span<float> v = State(context, 0, t, at, length);
        if (Alpha != 0)
        {
            OptimizerUpdates.Sgd(x, g, v, rate, Alpha, 1 - scale, NormCoefficient, Nesterov, firstStep: false);
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            float regularized = NormCoefficient * x[i] + g[i];
            v[i] = scale * regularized;
            x[i] -= rate * (Nesterov ? regularized : v[i]);
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"MomentumUpdate({TensorCount}, alpha {Alpha}, beta {Beta}{(Nesterov ? ", nesterov" : "")})");
}
