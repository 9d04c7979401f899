namespace Simd.Runtime.Intrinsics;

/// <summary>The elementwise functions of two operands of <see cref="BinaryMath"/> (ONNX's Add, Sub, Mul, Div, Pow, Max and Min).</summary>
public enum BinaryFunction
{
    Add,
    Subtract,
    Multiply,
    Divide,
    /// <summary>a^b, as <see cref="MathF.Pow"/>: a scalar loop at every width (.NET has no vector pow).</summary>
    Power,
    /// <summary>max(a, b); NaN in either gives NaN.</summary>
    Maximum,
    Minimum,
}
