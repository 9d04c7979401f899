using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Double-precision reference of every activation and its derivative, written from the textbook definitions
/// (PyTorch's constants and kink conventions), independent of the kernels' formulas.
/// </summary>
internal static class ActivationReference
{
    private const double SeluScale = 1.0507009873554804934193349852946;
    private const double SeluAlpha = 1.6732632423543772848170429916717;
    private const double GeluK = 0.79788456080286535587989211986876; // √(2/π)

    public static double Forward(ActivationKind kind, double x, double a) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Relu => x > 0 ? x : 0,
        ActivationKind.LeakyRelu => x > 0 ? x : a * x,
        ActivationKind.Elu => x > 0 ? x : a * Expm1(x),
        ActivationKind.Selu => SeluScale * (x > 0 ? x : SeluAlpha * Expm1(x)),
        ActivationKind.Sigmoid => Sigmoid(x),
        ActivationKind.Tanh => Math.Tanh(x),
        ActivationKind.GeluErf => Gate(x, Phi(x)),
        ActivationKind.GeluTanh => Gate(x, 0.5 * (1 + Math.Tanh(GeluK * (x + 0.044715 * x * x * x)))),
        ActivationKind.Silu => Gate(x, Sigmoid(x)),
        ActivationKind.Softplus => Softplus(x),
        ActivationKind.Softsign => double.IsInfinity(x) ? Math.Sign(x) : x / (1 + Math.Abs(x)),
        ActivationKind.HardSigmoid => HardSigmoid(x),
        ActivationKind.HardSwish => Gate(x, HardSigmoid(x)),
        ActivationKind.Mish => Gate(x, Math.Tanh(Softplus(x))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>f'(x). Kinks follow PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = alpha, ELU'(0) = alpha, HardSigmoid'(±3) = 0, HardSwish'(−3) = −1/2, HardSwish'(3) = 3/2.</summary>
    public static double Derivative(ActivationKind kind, double x, double a)
    {
        switch (kind)
        {
            case ActivationKind.Identity: return 1;
            case ActivationKind.Relu: return x > 0 ? 1 : 0;
            case ActivationKind.LeakyRelu: return x > 0 ? 1 : a;
            case ActivationKind.Elu: return x > 0 ? 1 : a * Math.Exp(x);
            case ActivationKind.Selu: return x > 0 ? SeluScale : SeluScale * SeluAlpha * Math.Exp(x);
            case ActivationKind.Sigmoid: { double s = Sigmoid(x); return s * (1 - s); }
            case ActivationKind.Tanh: { double t = Math.Tanh(x); return 1 - t * t; }
            case ActivationKind.GeluErf:
                return double.IsInfinity(x) ? (x > 0 ? 1 : 0) : Phi(x) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            case ActivationKind.GeluTanh:
            {
                if (Math.Abs(x) > 1e6) return x > 0 ? 1 : 0;
                double t = Math.Tanh(GeluK * (x + 0.044715 * x * x * x));
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GeluK * (1 + 3 * 0.044715 * x * x);
            }
            case ActivationKind.Silu:
            {
                if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
                double s = Sigmoid(x);
                return s + x * s * (1 - s);
            }
            case ActivationKind.Softplus: return x > 20 ? 1 : Sigmoid(x);
            case ActivationKind.Softsign: { double d = 1 + Math.Abs(x); return 1 / (d * d); }
            case ActivationKind.HardSigmoid: return x > -3 && x < 3 ? 1.0 / 6 : 0;
            case ActivationKind.HardSwish: return x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1;
            case ActivationKind.Mish:
            {
                if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
                double t = Math.Tanh(Softplus(x));
                return t + x * Sigmoid(x) * (1 - t * t);
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>The derivative written in terms of the output y, for the kernels that read y (see Activations.ReadsOutput).</summary>
    public static double DerivativeFromOutput(ActivationKind kind, double y, double a) => kind switch
    {
        ActivationKind.Relu => y > 0 ? 1 : 0,
        ActivationKind.Elu => y > 0 ? 1 : y + a,
        ActivationKind.Selu => y > 0 ? SeluScale : y + SeluScale * SeluAlpha,
        ActivationKind.Sigmoid => y * (1 - y),
        ActivationKind.Tanh => 1 - y * y,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>x·g(x) with its limits at ±Inf (g → 1 at +Inf, g → 0 faster than 1/x at −Inf).</summary>
    private static double Gate(double x, double g) => double.IsNegativeInfinity(x) ? 0 : double.IsPositiveInfinity(x) ? x : x * g;

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Expm1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    public static double Softplus(double x) => x > 20 ? x : Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));

    public static double Log1p(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : Math.Log(w) * (u / (w - 1));
    }

    public static double HardSigmoid(double x) => Math.Clamp(x / 6 + 0.5, 0, 1);

    /// <summary>Φ(x) = ½(1 + erf(x/√2)).</summary>
    public static double Phi(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erf by the everywhere-convergent series 2/√π·e^{−z²}·Σ 2ⁿz^{2n+1}/(1·3·…·(2n+1)), all terms positive.</summary>
    public static double Erf(double z)
    {
        if (double.IsNaN(z)) return z;
        double a = Math.Abs(z);
        if (a > 6) return Math.Sign(z);
        double term = a, sum = a;
        for (int n = 1; n < 200; n++)
        {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return Math.Sign(z) * 2 / Math.Sqrt(Math.PI) * Math.Exp(-a * a) * sum;
    }
}
