namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Elementwise activation kernels, forward and backward, with PyTorch's definitions. Forward processes x.Length
/// elements, backward dy.Length; outputs may be longer. An output may be the same span as an input, or disjoint
/// from it. ±Inf inputs give the function's limit (never NaN); NaN inputs give NaN.
/// </summary>
public static class Activations
{
    /// <summary>The parameter an activation uses when none is given: LeakyReLU slope 0.01, ELU alpha 1.</summary>
    public static float DefaultAlpha(ActivationKind kind) => kind switch
    {
        ActivationKind.LeakyRelu => 0.01f,
        ActivationKind.Elu => 1f,
        _ => 0f,
    };

    /// <summary>
    /// True when the backward kernel of <paramref name="kind"/> reads the forward output y (ReLU, ELU, SELU, Sigmoid,
    /// Tanh); false when it reads the forward input x (all others; Identity reads neither).
    /// </summary>
    public static bool ReadsOutput(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu or ActivationKind.Elu or ActivationKind.Selu or ActivationKind.Sigmoid or ActivationKind.Tanh => true,
        _ => false,
    };

    /// <summary>y = f(x). x and y may be the same span.</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y) =>
        Forward(kind, x, y, DefaultAlpha(kind), Isa.Width);

    /// <summary>y = f(x) with the activation's parameter (see <see cref="DefaultAlpha"/>). x and y may be the same span.</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha) =>
        Forward(kind, x, y, alpha, Isa.Width);

    /// <summary>
    /// dx = f'(x)·dy, given the forward input x and output y. Each activation reads only the cheaper of the two
    /// (<see cref="ReadsOutput"/>); the other may be empty. dx may be the same span as dy.
    /// </summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward(kind, x, y, dy, dx, DefaultAlpha(kind), Isa.Width);

    /// <summary>dx = f'(x)·dy with the activation's parameter. See the overload without alpha.</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha) =>
        Backward(kind, x, y, dy, dx, alpha, Isa.Width);

    internal static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha, SimdWidth width)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        switch (kind)
        {
            case ActivationKind.Identity: x.CopyTo(y); break;
            case ActivationKind.Relu: UnaryDriver.Run(new ReluForward(), x, y, width); break;
            case ActivationKind.LeakyRelu: UnaryDriver.Run(new LeakyReluForward(alpha), x, y, width); break;
            case ActivationKind.Elu: UnaryDriver.Run(new EluForward(alpha), x, y, width); break;
            case ActivationKind.Selu: UnaryDriver.Run(new SeluForward(Selu.DefaultAlpha, Selu.DefaultGamma), x, y, width); break;
            case ActivationKind.Sigmoid: UnaryDriver.Run(new SigmoidForward(), x, y, width); break;
            case ActivationKind.Tanh: UnaryDriver.Run(new TanhForward(), x, y, width); break;
            case ActivationKind.GeluErf: UnaryDriver.Run(new GeluErfForward(), x, y, width); break;
            case ActivationKind.GeluTanh: UnaryDriver.Run(new GeluTanhForward(), x, y, width); break;
            case ActivationKind.Silu: UnaryDriver.Run(new SiluForward(), x, y, width); break;
            case ActivationKind.Softplus: UnaryDriver.Run(new SoftplusForward(), x, y, width); break;
            case ActivationKind.Softsign: UnaryDriver.Run(new SoftsignForward(), x, y, width); break;
            case ActivationKind.HardSigmoid: UnaryDriver.Run(new HardSigmoidForward(HardSigmoid.DefaultAlpha, HardSigmoid.DefaultBeta), x, y, width); break;
            case ActivationKind.HardSwish: UnaryDriver.Run(new HardSwishForward(), x, y, width); break;
            case ActivationKind.Mish: UnaryDriver.Run(new MishForward(), x, y, width); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    internal static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha, SimdWidth width)
    {
        int n = dy.Length;
        SpanChecks.AtLeast(dx.Length, n, nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        if (kind == ActivationKind.Identity)
        {
            dy.CopyTo(dx);
            return;
        }
        ReadOnlySpan<float> v;
        if (ReadsOutput(kind))
        {
            SpanChecks.AtLeast(y.Length, n, nameof(y));
            SpanChecks.SameOrDisjoint(y, dx, nameof(y), nameof(dx));
            v = y.Slice(0, n);
        }
        else
        {
            SpanChecks.AtLeast(x.Length, n, nameof(x));
            SpanChecks.SameOrDisjoint(x, dx, nameof(x), nameof(dx));
            v = x.Slice(0, n);
        }
        switch (kind)
        {
            case ActivationKind.Relu: BinaryDriver.Run(new ReluBackward(), v, dy, dx, width); break;
            case ActivationKind.LeakyRelu: BinaryDriver.Run(new LeakyReluBackward(alpha), v, dy, dx, width); break;
            case ActivationKind.Elu:
                if (!(alpha >= 0))
                    throw new ArgumentException($"ELU backward reads the forward output, which needs alpha >= 0; got {alpha}.", nameof(alpha));
                BinaryDriver.Run(new EluBackward(alpha), v, dy, dx, width);
                break;
            case ActivationKind.Selu: BinaryDriver.Run(new SeluBackward(Selu.DefaultAlpha, Selu.DefaultGamma), v, dy, dx, width); break;
            case ActivationKind.Sigmoid: BinaryDriver.Run(new SigmoidBackward(), v, dy, dx, width); break;
            case ActivationKind.Tanh: BinaryDriver.Run(new TanhBackward(), v, dy, dx, width); break;
            case ActivationKind.GeluErf: BinaryDriver.Run(new GeluErfBackward(), v, dy, dx, width); break;
            case ActivationKind.GeluTanh: BinaryDriver.Run(new GeluTanhBackward(), v, dy, dx, width); break;
            case ActivationKind.Silu: BinaryDriver.Run(new SiluBackward(), v, dy, dx, width); break;
            case ActivationKind.Softplus: BinaryDriver.Run(new SoftplusBackward(), v, dy, dx, width); break;
            case ActivationKind.Softsign: BinaryDriver.Run(new SoftsignBackward(), v, dy, dx, width); break;
            case ActivationKind.HardSigmoid: BinaryDriver.Run(new HardSigmoidBackward(HardSigmoid.DefaultAlpha, HardSigmoid.DefaultBeta), v, dy, dx, width); break;
            case ActivationKind.HardSwish: BinaryDriver.Run(new HardSwishBackward(), v, dy, dx, width); break;
            case ActivationKind.Mish: BinaryDriver.Run(new MishBackward(), v, dy, dx, width); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }
}
