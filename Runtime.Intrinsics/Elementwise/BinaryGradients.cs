using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>d(a + b) = dy, dy.</summary>
internal readonly struct AddGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => dy;
}

/// <summary>d(a − b) = dy, −dy (as −0 − dy, which is −dy for every dy, zeros included).</summary>
internal readonly struct SubtractGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => -dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Subtract(TOps.Create(-0f), dy);
}

/// <summary>d(a·b) = dy·b, dy·a.</summary>
internal readonly struct MultiplyGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => dy * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => dy * a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Multiply(dy, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Multiply(dy, a);
}

/// <summary>d(a/b) = dy/b, −(dy/b)·z (z = a/b, so no second division).</summary>
internal readonly struct DivideGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => dy / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => -(dy / b * z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Divide(dy, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Subtract(TOps.Create(-0f), TOps.Multiply(TOps.Divide(dy, b), z));
}

/// <summary>
/// d max(a, b): dy to a where a &gt; b, to b where b &gt; a, half to each where a = b (PyTorch's rule for
/// torch.maximum, so that max(x, x) passes dy through whole), and all of it to both where either is NaN (PyTorch's
/// too: neither is below the other). Vector form: "a &lt; b" is max(a, b) = b away from ties (max gives NaN for NaN,
/// which equals nothing, so a NaN lane reads "not below").
/// </summary>
internal readonly struct MaximumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => a == b ? dy * 0.5f : a < b ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => a == b ? dy * 0.5f : b < a ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => Split<TVec, TOps>(a, b, b, dy);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => Split<TVec, TOps>(a, b, a, dy);

    /// <summary>Half of dy where a = b, else 0 where max(a, b) is <paramref name="other"/> (the operand above this one), else dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Split<TVec, TOps>(TVec a, TVec b, TVec other, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        TOps.Select(TOps.EqualsMask(a, b), TOps.Multiply(dy, TOps.Create(0.5f)), TOps.Select(TOps.EqualsMask(TOps.Max(a, b), other), TOps.Create(0), dy));
}

/// <summary>d min(a, b): dy to the smaller, half to each on ties, all of it to both with NaN (the mirror of <see cref="MaximumGradient"/>).</summary>
internal readonly struct MinimumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => a == b ? dy * 0.5f : a > b ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => a == b ? dy * 0.5f : b > a ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => MaximumGradient.Split<TVec, TOps>(a, b, a, dy);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => MaximumGradient.Split<TVec, TOps>(a, b, b, dy);
}
