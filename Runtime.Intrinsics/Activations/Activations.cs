namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Elementwise activation kernels, forward and backward, with PyTorch's definitions. Forward processes x.Length
/// elements, backward dy.Length. Outputs may be the same span as an input, or disjoint from it.
/// ±Inf inputs give the function's limit (never NaN); NaN inputs give NaN.
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

    /// <summary>y = f(x). x and y may be the same span.</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y) =>
        Forward(kind, x, y, DefaultAlpha(kind));

    /// <summary>y = f(x) with the activation's parameter (see <see cref="DefaultAlpha"/>). x and y may be the same span.</summary>
    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++)
            y[i] = ActivationScalar.Forward(kind, x[i], alpha);
    }

    /// <summary>
    /// dx = f'(x)·dy, given the forward input x and output y. Each activation reads only the cheaper of the two
    /// (<see cref="ReadsOutput"/>); the other may be empty. dx may be the same span as dy.
    /// </summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward(kind, x, y, dy, dx, DefaultAlpha(kind));

    /// <summary>dx = f'(x)·dy with the activation's parameter. See the overload without alpha.</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        int n = dy.Length;
        SpanChecks.AtLeast(dx.Length, n, nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        if (kind == ActivationKind.Elu && !(alpha >= 0))
            throw new ArgumentException($"ELU backward reads the forward output, which needs alpha >= 0; got {alpha}.", nameof(alpha));
        if (ReadsOutput(kind))
        {
            SpanChecks.AtLeast(y.Length, n, nameof(y));
            SpanChecks.SameOrDisjoint(y, dx, nameof(y), nameof(dx));
        }
        else if (kind != ActivationKind.Identity)
        {
            SpanChecks.AtLeast(x.Length, n, nameof(x));
            SpanChecks.SameOrDisjoint(x, dx, nameof(x), nameof(dx));
        }
        for (int i = 0; i < n; i++)
        {
            float xi = ReadsOutput(kind) || kind == ActivationKind.Identity ? 0 : x[i];
            float yi = ReadsOutput(kind) ? y[i] : 0;
            dx[i] = ActivationScalar.Backward(kind, xi, yi, dy[i], alpha);
        }
    }

    /// <summary>
    /// True when the backward kernel of <paramref name="kind"/> reads the forward output y (ReLU, ELU, SELU, Sigmoid,
    /// Tanh); false when it reads the forward input x (all others; Identity reads neither).
    /// </summary>
    public static bool ReadsOutput(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu or ActivationKind.Elu or ActivationKind.Selu or ActivationKind.Sigmoid or ActivationKind.Tanh => true,
        _ => false,
    };
}
