namespace Simd.Runtime.Intrinsics;

/// <summary>Elementwise activation kernels, forward and backward. (Placeholder: being replaced by the SIMD kernels.)</summary>
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
        if (y.Length < x.Length) throw new ArgumentException($"y has {y.Length} elements, expected at least {x.Length}.", nameof(y));
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = kind switch
            {
                ActivationKind.Identity => v,
                ActivationKind.Relu => v > 0 ? v : 0,
                _ => throw new NotSupportedException(kind.ToString()),
            };
        }
    }
}
