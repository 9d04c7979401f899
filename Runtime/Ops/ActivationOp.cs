using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// An elementwise activation on any shape. The sequential builder folds one that follows a Dense into it, and
/// freezing fuses one into the Dense before it, so this runs on its own only where nothing precedes it to fuse with.
/// HardSigmoid and SELU take ONNX's two parameters (<see cref="HardSigmoid(float, float)"/>, <see cref="Selu(float, float)"/>);
/// PyTorch's fixed constants are the default, and only other values are written to a model file (as
/// <c>hard_sigmoid_alpha</c>/<c>hard_sigmoid_beta</c>, <c>selu_alpha</c>/<c>selu_gamma</c>), so a file without them
/// loads as PyTorch's. Such an activation with other values runs here, never fused.
/// </summary>
public sealed class ActivationOp : Op
{
    public const string Name = "activation";

    private readonly float _first, _second;

    public ActivationOp(ActivationKind kind, float alpha = float.NaN)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an activation.");
        Activation = kind;
        Alpha = float.IsNaN(alpha) ? Activations.DefaultAlpha(kind) : alpha;
        (_first, _second) = kind switch
        {
            ActivationKind.HardSigmoid => (Intrinsics.HardSigmoid.DefaultAlpha, Intrinsics.HardSigmoid.DefaultBeta),
            ActivationKind.Selu => (Intrinsics.Selu.DefaultAlpha, Intrinsics.Selu.DefaultGamma),
            _ => (float.NaN, float.NaN),
        };
    }

    private ActivationOp(ActivationKind kind, float first, float second) : this(kind)
    {
        (_first, _second) = (first, second);
    }

    /// <summary>HardSigmoid max(0, min(1, α·x + β)) with finite α and β (PyTorch's is α = 1/6, β = 1/2).</summary>
    public static ActivationOp HardSigmoid(float alpha, float beta)
    {
        if (!float.IsFinite(alpha) || !float.IsFinite(beta))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"hard-sigmoid alpha and beta must be finite numbers, got {alpha} and {beta}."));
        return new ActivationOp(ActivationKind.HardSigmoid, alpha, beta);
    }

    /// <summary>SELU γ·(x for x &gt; 0, α·(eˣ − 1) otherwise) with γ &gt; 0 and α ≥ 0 (PyTorch's constants by default).</summary>
    public static ActivationOp Selu(float alpha, float gamma)
    {
        if (Intrinsics.Selu.Problem(alpha, gamma) is string problem)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"selu {problem}; got alpha {alpha}, gamma {gamma}."));
        return new ActivationOp(ActivationKind.Selu, alpha, gamma);
    }

    public override string Kind => Name;

    public ActivationKind Activation { get; }

    /// <summary>The parameter of LeakyReLU (its slope) and ELU; see <see cref="Activations.DefaultAlpha"/>.</summary>
    public float Alpha { get; }

    /// <summary>HardSigmoid's α (slope); NaN for other kinds.</summary>
    public float HardSigmoidAlpha => Activation == ActivationKind.HardSigmoid ? _first : float.NaN;

    /// <summary>HardSigmoid's β (offset); NaN for other kinds.</summary>
    public float HardSigmoidBeta => Activation == ActivationKind.HardSigmoid ? _second : float.NaN;

    /// <summary>SELU's α; NaN for other kinds.</summary>
    public float SeluAlpha => Activation == ActivationKind.Selu ? _first : float.NaN;

    /// <summary>SELU's γ (scale); NaN for other kinds.</summary>
    public float SeluGamma => Activation == ActivationKind.Selu ? _second : float.NaN;

    /// <summary>False for HardSigmoid or SELU with parameters other than PyTorch's, which only this op runs (a Dense or Conv2D fuses the fixed ones).</summary>
    public bool HasDefaultParameters => Activation switch
    {
        ActivationKind.HardSigmoid => _first == Intrinsics.HardSigmoid.DefaultAlpha && _second == Intrinsics.HardSigmoid.DefaultBeta,
        ActivationKind.Selu => _first == Intrinsics.Selu.DefaultAlpha && _second == Intrinsics.Selu.DefaultGamma,
        _ => true,
    };

    internal static Op Create(OpAttributes a)
    {
        ActivationKind kind = OpNames.ParseActivation(a, "activation");
        float alpha = (float)a.GetDouble("alpha", float.NaN);
        return kind switch
        {
            ActivationKind.HardSigmoid => Parameters(a, "hard_sigmoid_alpha", "hard_sigmoid_beta", Intrinsics.HardSigmoid.DefaultAlpha, Intrinsics.HardSigmoid.DefaultBeta,
                (p, q) => float.IsFinite(p) && float.IsFinite(q) ? null : "must be finite numbers", HardSigmoid),
            ActivationKind.Selu => Parameters(a, "selu_alpha", "selu_gamma", Intrinsics.Selu.DefaultAlpha, Intrinsics.Selu.DefaultGamma, Intrinsics.Selu.Problem, Selu),
            _ => new ActivationOp(kind, alpha),
        };
    }

    private static ActivationOp Parameters(OpAttributes a, string first, string second, float defaultFirst, float defaultSecond,
        Func<float, float, string?> problem, Func<float, float, ActivationOp> make)
    {
        float p = (float)a.GetDouble(first, defaultFirst), q = (float)a.GetDouble(second, defaultSecond);
        if (problem(p, q) is string why)
            throw a.Bad(a.Contains(first) ? first : second, string.Create(CultureInfo.InvariantCulture, $"is {(a.Contains(first) ? p : q)} ({first} {p}, {second} {q}): {why}"));
        return make(p, q);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("activation", OpNames.Activation(Activation)).Set("alpha", Alpha);
        if (HasDefaultParameters) return;
        if (Activation == ActivationKind.HardSigmoid) attributes.Set("hard_sigmoid_alpha", _first).Set("hard_sigmoid_beta", _second);
        else attributes.Set("selu_alpha", _first).Set("selu_gamma", _second);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        return [inputs[0]];
    }

    internal override void Forward(in OpContext context)
    {
        switch (Activation)
        {
            case ActivationKind.HardSigmoid: Intrinsics.HardSigmoid.Forward(context.Input(0), context.Output(0), _first, _second); break;
            case ActivationKind.Selu: Intrinsics.Selu.Forward(context.Input(0), context.Output(0), _first, _second); break;
            default: Activations.Forward(Activation, context.Input(0), context.Output(0), Alpha); break;
        }
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        switch (Activation)
        {
            case ActivationKind.HardSigmoid: Intrinsics.HardSigmoid.Backward(context.Input(0), context.OutputGradient(0), context.InputGradient(0), _first, _second); break;
            case ActivationKind.Selu: Intrinsics.Selu.Backward(context.Output(0), context.OutputGradient(0), context.InputGradient(0), _first, _second); break;
            default: Activations.Backward(Activation, context.Input(0), context.Output(0), context.OutputGradient(0), context.InputGradient(0), Alpha); break;
        }
    }

    public override string ToString() => HasDefaultParameters ? $"Activation({Activation})"
        : string.Create(CultureInfo.InvariantCulture, $"Activation({Activation}, {_first}, {_second})");
}
