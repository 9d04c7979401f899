using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal static partial class ElementMath
{
    // Below this |x| the odd Taylor series is used: 1 − 2/(e^{2|x|}+1) would cancel. At 0.55 the first term left
    // out (x¹⁹) is below 1e-8 relative, and the exp form above it loses at most one bit.
    private const float TanhSeriesLimit = 0.55f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> a = Vector128.Abs(x);
        return TanhFromExp(x, a, Exp(a + a));
    }

    /// <summary>tanh(x) given a = |x| and e = e^(2a) (exp as <see cref="Exp(Vector128{float})"/>): callers that
    /// compute several exps at once interleave them and finish each tanh here, with the bits of Tanh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> TanhFromExp(Vector128<float> x, Vector128<float> a, Vector128<float> e)
    {
        Vector128<float> x2 = x * x;
        Vector128<float> p = Vector128.Create(6404582f / 10854718875f);
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(-929569f / 638512875f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(21844f / 6081075f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(-1382f / 155925f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(62f / 2835f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(-17f / 315f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(2f / 15f));
        p = Vector128.MultiplyAddEstimate(p, x2, Vector128.Create(-1f / 3f));
        Vector128<float> small = Vector128.MultiplyAddEstimate(x * x2, p, x);
        // e^{2|x|} overflowing to +Inf gives exactly ±1.
        Vector128<float> large = Vector128<float>.One - Vector128.Create(2f) / (e + Vector128<float>.One);
        large = Vector128.CopySign(large, x);
        return Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(TanhSeriesLimit)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> a = Vector256.Abs(x);
        return TanhFromExp(x, a, Exp(a + a));
    }

    /// <summary>tanh(x) given a = |x| and e = e^(2a) (exp as <see cref="Exp(Vector256{float})"/>): callers that
    /// compute several exps at once interleave them and finish each tanh here, with the bits of Tanh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> TanhFromExp(Vector256<float> x, Vector256<float> a, Vector256<float> e)
    {
        Vector256<float> x2 = x * x;
        Vector256<float> p = Vector256.Create(6404582f / 10854718875f);
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(-929569f / 638512875f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(21844f / 6081075f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(-1382f / 155925f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(62f / 2835f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(-17f / 315f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(2f / 15f));
        p = Vector256.MultiplyAddEstimate(p, x2, Vector256.Create(-1f / 3f));
        Vector256<float> small = Vector256.MultiplyAddEstimate(x * x2, p, x);
        // e^{2|x|} overflowing to +Inf gives exactly ±1.
        Vector256<float> large = Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
        large = Vector256.CopySign(large, x);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(TanhSeriesLimit)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> a = Vector512.Abs(x);
        return TanhFromExp(x, a, Exp(a + a));
    }

    /// <summary>tanh(x) given a = |x| and e = e^(2a) (exp as <see cref="Exp(Vector512{float})"/>): callers that
    /// compute several exps at once interleave them and finish each tanh here, with the bits of Tanh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> TanhFromExp(Vector512<float> x, Vector512<float> a, Vector512<float> e)
    {
        Vector512<float> x2 = x * x;
        Vector512<float> p = Vector512.Create(6404582f / 10854718875f);
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(-929569f / 638512875f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(21844f / 6081075f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(-1382f / 155925f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(62f / 2835f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(-17f / 315f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(2f / 15f));
        p = Vector512.MultiplyAddEstimate(p, x2, Vector512.Create(-1f / 3f));
        Vector512<float> small = Vector512.MultiplyAddEstimate(x * x2, p, x);
        // e^{2|x|} overflowing to +Inf gives exactly ±1.
        Vector512<float> large = Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
        large = Vector512.CopySign(large, x);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(TanhSeriesLimit)), small, large);
    }
}
