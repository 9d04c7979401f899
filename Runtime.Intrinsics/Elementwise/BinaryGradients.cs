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

/// <summary>d max(a, b): dy to a where a ≥ b (ties go to a), else to b.</summary>
internal readonly struct MaximumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => a >= b ? dy : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => a >= b ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Select(TOps.EqualsMask(TOps.Max(a, b), a), dy, TOps.Create(0));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Select(TOps.EqualsMask(TOps.Max(a, b), a), TOps.Create(0), dy);
}

/// <summary>d min(a, b): dy to a where a ≤ b (ties go to a), else to b; a ≤ b is max(a, b) = b.</summary>
internal readonly struct MinimumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float A(float a, float b, float z, float dy) => a <= b ? dy : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float B(float a, float b, float z, float dy) => a <= b ? 0 : dy;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Select(TOps.EqualsMask(TOps.Max(a, b), b), dy, TOps.Create(0));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec> => TOps.Select(TOps.EqualsMask(TOps.Max(a, b), b), TOps.Create(0), dy);
}
