using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Special functions for the elementwise kernels, scalar and per vector width. The vector exp is written here
/// (range reduction + polynomial, float only) rather than taken from VectorNNN.Exp, which widens to double.
/// </summary>
internal static partial class ElementMath
{
    internal const float Log2E = 1.44269504088896340736f;
    // ln 2 split so that n·Ln2Hi is exact for |n| < 2^15 (Cody–Waite reduction).
    internal const float Ln2Hi = 0.693359375f;
    internal const float Ln2Lo = -2.12194440e-4f;
    // 1.5·2^23: adding it rounds to an integer and leaves that integer in the low mantissa bits.
    internal const float RoundMagic = 12582912f;
    // e^x overflows above 88.73 and underflows below −103.97; the clamp only keeps the two-factor scaling in range.
    internal const float ExpClampLow = -110f;
    internal const float ExpClampHigh = 90f;
    private const float HalfLn2 = 0.34657359027997265470861606072909f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(x);

    /// <summary>eˣ − 1 without cancellation near 0 (Taylor series where |x| &lt; ln2/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Expm1(float x)
    {
        if (!(MathF.Abs(x) < HalfLn2)) return MathF.Exp(x) - 1;
        // Terms to x⁸/8!: the first one left out is below 2e-9 relative at |x| = ln2/2.
        float p = 1f / 40320;
        p = p * x + 1f / 5040;
        p = p * x + 1f / 720;
        p = p * x + 1f / 120;
        p = p * x + 1f / 24;
        p = p * x + 1f / 6;
        p = p * x + 0.5f;
        return x + x * x * p;
    }

    /// <summary>
    /// x clamped to [lo, hi]; NaN stays NaN. Two native min/max instead of compare-and-blend (half the instructions
    /// in every exp): x86's maxps/minps return their second operand when either is NaN, so x goes second; ARM's
    /// fmax/fmin return NaN for a NaN either way. Bitwise the same as the compare-and-blend form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> x, float lo, float hi) =>
        Vector128.MinNative(Vector128.Create(hi), Vector128.MaxNative(Vector128.Create(lo), x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> x, float lo, float hi) =>
        Vector256.MinNative(Vector256.Create(hi), Vector256.MaxNative(Vector256.Create(lo), x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> x, float lo, float hi) =>
        Vector512.MinNative(Vector512.Create(hi), Vector512.MaxNative(Vector512.Create(lo), x));

    /// <summary>
    /// eˣ: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to r⁷ (truncation below 1e-7 relative),
    /// then times 2^n applied as two factors 2^⌊n/2⌋·2^(n−⌊n/2⌋), so results overflow to +Inf and underflow through
    /// the subnormals to 0 as IEEE rounding says. NaN gives NaN. Where AVX-512 has vscalefps, 2^n is applied by it
    /// instead: it rounds once too, so the bits are the same (checked against the two factors over the whole
    /// range), in one instruction instead of eight; exp is most of the recurrent cells' and sigmoid's time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => Exp(x, scaleInstruction: true);

    /// <summary><see cref="Exp(Vector128{float})"/>, with vscalefps only when <paramref name="scaleInstruction"/> (the tests compare both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Exp(Vector128<float> x, bool scaleInstruction)
    {
        x = Clamp(x, ExpClampLow, ExpClampHigh);
        Vector128<float> magic = Vector128.Create(RoundMagic);
        Vector128<float> k = Vector128.MultiplyAddEstimate(x, Vector128.Create(Log2E), magic);
        Vector128<float> n = k - magic;
        Vector128<float> r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Hi), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Lo), r);
        Vector128<float> p = Vector128.Create(1f / 5040);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1f / 720));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1f / 120));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1f / 24));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(1f / 6));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(0.5f));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        return ScaleByPowerOfTwo(p, n, k, scaleInstruction);
    }

    /// <summary>exp's last step: p·2^n, n = k − RoundMagic (k holds n in its low mantissa bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ScaleByPowerOfTwo(Vector128<float> p, Vector128<float> n, Vector128<float> k, bool scaleInstruction = true)
    {
        if (scaleInstruction && Avx512F.VL.IsSupported) return Avx512F.VL.Scale(p, n);
        Vector128<int> ni = k.AsInt32() - Vector128.Create(RoundMagic).AsInt32();
        Vector128<int> half = Vector128.ShiftRightArithmetic(ni, 1);
        Vector128<int> bias = Vector128.Create(127);
        Vector128<float> s1 = Vector128.ShiftLeft(half + bias, 23).AsSingle();
        Vector128<float> s2 = Vector128.ShiftLeft(ni - half + bias, 23).AsSingle();
        return p * s1 * s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Exp(x, scaleInstruction: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x, bool scaleInstruction)
    {
        x = Clamp(x, ExpClampLow, ExpClampHigh);
        Vector256<float> magic = Vector256.Create(RoundMagic);
        Vector256<float> k = Vector256.MultiplyAddEstimate(x, Vector256.Create(Log2E), magic);
        Vector256<float> n = k - magic;
        Vector256<float> r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Vector256.Create(1f / 5040);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1f / 720));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1f / 120));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1f / 24));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1f / 6));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(0.5f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        return ScaleByPowerOfTwo(p, n, k, scaleInstruction);
    }

    /// <summary>exp's last step: p·2^n, n = k − RoundMagic (k holds n in its low mantissa bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ScaleByPowerOfTwo(Vector256<float> p, Vector256<float> n, Vector256<float> k, bool scaleInstruction = true)
    {
        if (scaleInstruction && Avx512F.VL.IsSupported) return Avx512F.VL.Scale(p, n);
        Vector256<int> ni = k.AsInt32() - Vector256.Create(RoundMagic).AsInt32();
        Vector256<int> half = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<int> bias = Vector256.Create(127);
        Vector256<float> s1 = Vector256.ShiftLeft(half + bias, 23).AsSingle();
        Vector256<float> s2 = Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
        return p * s1 * s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => Exp(x, scaleInstruction: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x, bool scaleInstruction)
    {
        x = Clamp(x, ExpClampLow, ExpClampHigh);
        Vector512<float> magic = Vector512.Create(RoundMagic);
        Vector512<float> k = Vector512.MultiplyAddEstimate(x, Vector512.Create(Log2E), magic);
        Vector512<float> n = k - magic;
        Vector512<float> r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Lo), r);
        Vector512<float> p = Vector512.Create(1f / 5040);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 720));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 120));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 24));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(1f / 6));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(0.5f));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        return ScaleByPowerOfTwo(p, n, k, scaleInstruction);
    }

    /// <summary>exp's last step: p·2^n, n = k − RoundMagic (k holds n in its low mantissa bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> ScaleByPowerOfTwo(Vector512<float> p, Vector512<float> n, Vector512<float> k, bool scaleInstruction = true)
    {
        if (scaleInstruction && Avx512F.IsSupported) return Avx512F.Scale(p, n);
        Vector512<int> ni = k.AsInt32() - Vector512.Create(RoundMagic).AsInt32();
        Vector512<int> half = Vector512.ShiftRightArithmetic(ni, 1);
        Vector512<int> bias = Vector512.Create(127);
        Vector512<float> s1 = Vector512.ShiftLeft(half + bias, 23).AsSingle();
        Vector512<float> s2 = Vector512.ShiftLeft(ni - half + bias, 23).AsSingle();
        return p * s1 * s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Expm1(Vector128<float> x)
    {
        Vector128<float> p = Vector128.Create(1f / 40320);
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(1f / 5040));
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(1f / 720));
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(1f / 120));
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(1f / 24));
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(1f / 6));
        p = Vector128.MultiplyAddEstimate(p, x, Vector128.Create(0.5f));
        Vector128<float> small = Vector128.MultiplyAddEstimate(x * x, p, x);
        Vector128<float> large = Exp(x) - Vector128<float>.One;
        return Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), Vector128.Create(HalfLn2)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Expm1(Vector256<float> x)
    {
        Vector256<float> p = Vector256.Create(1f / 40320);
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(1f / 5040));
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(1f / 720));
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(1f / 120));
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(1f / 24));
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(1f / 6));
        p = Vector256.MultiplyAddEstimate(p, x, Vector256.Create(0.5f));
        Vector256<float> small = Vector256.MultiplyAddEstimate(x * x, p, x);
        Vector256<float> large = Exp(x) - Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(HalfLn2)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Expm1(Vector512<float> x)
    {
        Vector512<float> p = Vector512.Create(1f / 40320);
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(1f / 5040));
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(1f / 720));
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(1f / 120));
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(1f / 24));
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(1f / 6));
        p = Vector512.MultiplyAddEstimate(p, x, Vector512.Create(0.5f));
        Vector512<float> small = Vector512.MultiplyAddEstimate(x * x, p, x);
        Vector512<float> large = Exp(x) - Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(HalfLn2)), small, large);
    }
}
