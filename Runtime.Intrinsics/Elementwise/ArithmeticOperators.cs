using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>a + b.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => a + b;
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + b;

    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b;

    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>a·b.</summary>
internal readonly struct MultiplyOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => a * b;
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a * b;

    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;

    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a * b;
}

/// <summary>x·s.</summary>
internal readonly struct ScaleOperator(float s) : IUnaryOperator
{
    public float Invoke(float x) => x * s;
    public Vector128<float> Invoke(Vector128<float> x) => x * Vector128.Create(s);

    public Vector256<float> Invoke(Vector256<float> x) => x * Vector256.Create(s);

    public Vector512<float> Invoke(Vector512<float> x) => x * Vector512.Create(s);
}

/// <summary>x + s.</summary>
internal readonly struct ShiftOperator(float s) : IUnaryOperator
{
    public float Invoke(float x) => x + s;
    public Vector128<float> Invoke(Vector128<float> x) => x + Vector128.Create(s);

    public Vector256<float> Invoke(Vector256<float> x) => x + Vector256.Create(s);

    public Vector512<float> Invoke(Vector512<float> x) => x + Vector512.Create(s);
}

/// <summary>x.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;

    public Vector256<float> Invoke(Vector256<float> x) => x;

    public Vector512<float> Invoke(Vector512<float> x) => x;
}

/// <summary>x².</summary>
internal readonly struct SquareOperator : IUnaryOperator
{
    public float Invoke(float x) => x * x;
    public Vector128<float> Invoke(Vector128<float> x) => x * x;

    public Vector256<float> Invoke(Vector256<float> x) => x * x;

    public Vector512<float> Invoke(Vector512<float> x) => x * x;
}

/// <summary>a·x + y, fused where the hardware has FMA.</summary>
internal readonly struct AxpyOperator(float a) : IBinaryOperator
{
    public float Invoke(float x, float y) => float.MultiplyAddEstimate(x, a, y);
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.MultiplyAddEstimate(x, Vector128.Create(a), y);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.MultiplyAddEstimate(x, Vector256.Create(a), y);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.MultiplyAddEstimate(x, Vector512.Create(a), y);
}
