using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>e^(x − max): the max-subtracted exponent of softmax, never above 1.</summary>
internal readonly struct ExpShiftedOperator(float max) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => MathF.Exp(x - max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Exp(x - Vector128.Create(max));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Exp(x - Vector256.Create(max));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Exp(x - Vector512.Create(max));
}

/// <summary>
/// Log-softmax: (x − max) − log Σ. The max is subtracted on its own first: that difference is exact for inputs
/// within a factor of two of each other, whereas folding max and log Σ into one constant rounds at the scale of max
/// (2.4e-4 absolute at 1e4).
/// </summary>
internal readonly struct LogSoftmaxOperator(float max, float logSum) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => (x - max) - logSum;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => (x - Vector128.Create(max)) - Vector128.Create(logSum);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => (x - Vector256.Create(max)) - Vector256.Create(logSum);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => (x - Vector512.Create(max)) - Vector512.Create(logSum);
}

/// <summary>Softmax backward: dx = y·(dy − Σ dy·y).</summary>
internal readonly struct SoftmaxBackwardOperator(float dot) : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => y * (dy - dot);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => y * (dy - Vector128.Create(dot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => y * (dy - Vector256.Create(dot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => y * (dy - Vector512.Create(dot));
}

/// <summary>Log-softmax backward: dx = dy − e^y·Σ dy.</summary>
internal readonly struct LogSoftmaxBackwardOperator(float sum) : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => dy - MathF.Exp(y) * sum;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy - ElementMath.Exp(y) * Vector128.Create(sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy - ElementMath.Exp(y) * Vector256.Create(sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy - ElementMath.Exp(y) * Vector512.Create(sum);
}
