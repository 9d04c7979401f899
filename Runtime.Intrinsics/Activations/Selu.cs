using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>scale·(x for x &gt; 0, alpha·(eˣ − 1) otherwise) with PyTorch's constants.</summary>
internal readonly struct SeluForward : IUnaryOperator
{
    public const float Scale = 1.0507009873554804934193349852946f;
    public const float Alpha = 1.6732632423543772848170429916717f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => Scale * (x > 0 ? x : Alpha * ElementMath.Expm1(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Create(Scale) *
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128.Create(Alpha) * ElementMath.Expm1(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(Scale) *
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(Alpha) * ElementMath.Expm1(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(Scale) *
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(Alpha) * ElementMath.Expm1(x));
}

/// <summary>dx = scale·dy for y &gt; 0, dy·(y + scale·alpha) otherwise. Reads the output y.</summary>
internal readonly struct SeluBackward : IBinaryOperator
{
    private const float ScaleAlpha = SeluForward.Scale * SeluForward.Alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => y > 0 ? dy * SeluForward.Scale : dy * (y + ScaleAlpha);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(
        Vector128.GreaterThan(y, Vector128<float>.Zero), dy * Vector128.Create(SeluForward.Scale), dy * (y + Vector128.Create(ScaleAlpha)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(
        Vector256.GreaterThan(y, Vector256<float>.Zero), dy * Vector256.Create(SeluForward.Scale), dy * (y + Vector256.Create(ScaleAlpha)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(
        Vector512.GreaterThan(y, Vector512<float>.Zero), dy * Vector512.Create(SeluForward.Scale), dy * (y + Vector512.Create(ScaleAlpha)));
}
