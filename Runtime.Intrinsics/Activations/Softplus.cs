using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>log(1 + eˣ), x itself above PyTorch's threshold 20 (beta = 1).</summary>
internal readonly struct SoftplusForward : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => ElementMath.Softplus(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Softplus(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Softplus(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Softplus(x);
}

/// <summary>dx = dy·σ(x), dy above the threshold. Reads x.</summary>
internal readonly struct SoftplusBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy) => x > ElementMath.SoftplusThreshold ? dy : dy * ElementMath.Sigmoid(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.ConditionalSelect(
        Vector128.GreaterThan(x, Vector128.Create(ElementMath.SoftplusThreshold)), dy, dy * ElementMath.Sigmoid(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(
        Vector256.GreaterThan(x, Vector256.Create(ElementMath.SoftplusThreshold)), dy, dy * ElementMath.Sigmoid(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(
        Vector512.GreaterThan(x, Vector512.Create(ElementMath.SoftplusThreshold)), dy, dy * ElementMath.Sigmoid(x));
}
