namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The elementwise functions of two operands of <see cref="BinaryMath"/> (ONNX's Add, Sub, Mul, Div, Pow, Max, Min,
/// the comparisons and the logical And, Or and Xor). A comparison or logical function gives 1 for true and 0 for
/// false (a boolean held as a float); the logical ones read any value but ±0 as true. They have no gradient (zero).
/// </summary>
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
    /// <summary>a == b (+0 equals −0; NaN equals nothing).</summary>
    Equal,
    /// <summary>a &lt; b (false where either is NaN, as for every comparison).</summary>
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    Xor,
}
