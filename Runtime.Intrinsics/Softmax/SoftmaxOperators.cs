using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>e^(x − max): the max-subtracted exponent of softmax, never above 1.</summary>
internal readonly struct ExpShiftedOperator(float max) : IUnaryOperator
{
    public float Invoke(float x) => MathF.Exp(x - max);
    public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Exp(x - Vector128.Create(max));

    public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Exp(x - Vector256.Create(max));

    public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Exp(x - Vector512.Create(max));
}

/// <summary>Softmax backward: dx = y·(dy − Σ dy·y).</summary>
internal readonly struct SoftmaxBackwardOperator(float dot) : IBinaryOperator
{
    public float Invoke(float y, float dy) => y * (dy - dot);
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => y * (dy - Vector128.Create(dot));

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => y * (dy - Vector256.Create(dot));

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => y * (dy - Vector512.Create(dot));
}

/// <summary>Log-softmax backward: dx = dy − e^y·Σ dy.</summary>
internal readonly struct LogSoftmaxBackwardOperator(float sum) : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy - MathF.Exp(y) * sum;
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy - ElementMath.Exp(y) * Vector128.Create(sum);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy - ElementMath.Exp(y) * Vector256.Create(sum);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy - ElementMath.Exp(y) * Vector512.Create(sum);
}
