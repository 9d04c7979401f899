namespace Simd.Runtime.Intrinsics;

/// <summary>Scalar activation formulas (one element at a time).</summary>
internal static class ActivationScalar
{
    public const float SeluScale = 1.0507009873554804934193349852946f;
    public const float SeluAlpha = 1.6732632423543772848170429916717f;
    public const float Sqrt2OverPi = 0.79788456080286535587989211986876f;
    public const float GeluTanhCubic = 0.044715f;
    public const float InvSqrt2 = 0.70710678118654752440084436210485f;
    public const float InvSqrt2Pi = 0.39894228040143267793994605993438f;
    public const float SoftplusThreshold = 20f;

    public static float Forward(ActivationKind kind, float x, float alpha) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Relu => x < 0 ? 0 : x,
        ActivationKind.LeakyRelu => x > 0 ? x : x * alpha,
        ActivationKind.Elu => x > 0 ? x : alpha * ScalarMath.Expm1(x),
        ActivationKind.Selu => SeluScale * (x > 0 ? x : SeluAlpha * ScalarMath.Expm1(x)),
        ActivationKind.Sigmoid => ScalarMath.Sigmoid(x),
        ActivationKind.Tanh => MathF.Tanh(x),
        ActivationKind.GeluErf => float.IsNegativeInfinity(x) ? 0 : x * ScalarMath.NormalCdf(x),
        ActivationKind.GeluTanh => float.IsNegativeInfinity(x) ? 0 : x * ScalarMath.Sigmoid(2 * GeluTanhInner(x)),
        ActivationKind.Silu => float.IsNegativeInfinity(x) ? 0 : x * ScalarMath.Sigmoid(x),
        ActivationKind.Softplus => ScalarMath.Softplus(x),
        ActivationKind.Softsign => float.IsInfinity(x) ? MathF.CopySign(1, x) : x / (1 + MathF.Abs(x)),
        ActivationKind.HardSigmoid => HardSigmoid(x),
        ActivationKind.HardSwish => x <= -3 ? 0 : x >= 3 ? x : x * HardSigmoid(x),
        ActivationKind.Mish => x > SoftplusThreshold ? x : float.IsNegativeInfinity(x) ? 0 : x * MishTanhSoftplus(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    /// <summary>f'(x)·dy; x or y is used, as <see cref="Activations.ReadsOutput"/> says.</summary>
    public static float Backward(ActivationKind kind, float x, float y, float dy, float alpha)
    {
        switch (kind)
        {
            case ActivationKind.Identity: return dy;
            // PyTorch: the gradient at the kink x = 0 is 0 for ReLU and alpha for LeakyReLU.
            case ActivationKind.Relu: return y > 0 ? dy : 0;
            case ActivationKind.LeakyRelu: return x > 0 ? dy : dy * alpha;
            case ActivationKind.Elu: return y > 0 ? dy : dy * (y + alpha);
            case ActivationKind.Selu: return y > 0 ? dy * SeluScale : dy * (y + SeluScale * SeluAlpha);
            case ActivationKind.Sigmoid: return dy * (y * (1 - y));
            case ActivationKind.Tanh: return dy * (1 - y * y);
            case ActivationKind.GeluErf:
            {
                // Beyond ±10 the derivative is exactly 1 or 0 in float; clamping keeps Inf·0 out.
                float c = Math.Clamp(x, -10f, 10f);
                return dy * (ScalarMath.NormalCdf(c) + c * InvSqrt2Pi * MathF.Exp(-0.5f * c * c));
            }
            case ActivationKind.GeluTanh:
            {
                float c = Math.Clamp(x, -20f, 20f);
                float s = ScalarMath.Sigmoid(2 * GeluTanhInner(c));
                float du = 2 * Sqrt2OverPi * (1 + 3 * GeluTanhCubic * c * c);
                return dy * (s + c * s * (1 - s) * du);
            }
            case ActivationKind.Silu:
            {
                float c = Math.Clamp(x, -100f, 100f);
                float s = ScalarMath.Sigmoid(c);
                return dy * (s + c * s * (1 - s));
            }
            case ActivationKind.Softplus: return x > SoftplusThreshold ? dy : dy * ScalarMath.Sigmoid(x);
            case ActivationKind.Softsign:
            {
                float d = 1 + MathF.Abs(x);
                return dy / (d * d);
            }
            case ActivationKind.HardSigmoid: return x > -3 && x < 3 ? dy * (1f / 6) : 0;
            case ActivationKind.HardSwish: return x < -3 ? 0 : x <= 3 ? dy * (x / 3 + 0.5f) : dy;
            case ActivationKind.Mish:
            {
                float c = Math.Clamp(x, -100f, SoftplusThreshold);
                float t = MishTanhSoftplus(c);
                return dy * (t + c * ScalarMath.Sigmoid(c) * (1 - t * t));
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation");
        }
    }

    /// <summary>u with GELU-tanh = x·(1 + tanh u)/2 = x·sigmoid(2u); the sigmoid form has no cancellation for x &lt; 0.</summary>
    public static float GeluTanhInner(float x) => Sqrt2OverPi * (x + GeluTanhCubic * x * x * x);

    public static float HardSigmoid(float x) => x <= -3 ? 0 : x >= 3 ? 1 : x * (1f / 6) + 0.5f;

    /// <summary>tanh(softplus(x)) = n/(n+2) with n = eˣ(eˣ+2): one exp, no cancellation for x &lt; 0. Valid for x ≤ 20.</summary>
    public static float MishTanhSoftplus(float x)
    {
        float e = MathF.Exp(x);
        float n = e * (e + 2);
        return n / (n + 2);
    }
}
