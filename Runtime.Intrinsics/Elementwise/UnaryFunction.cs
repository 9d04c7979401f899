namespace Simd.Runtime.Intrinsics;

/// <summary>The elementwise math functions of <see cref="UnaryMath"/> (ONNX's Abs, Neg, Exp, Log, Sqrt, Reciprocal, Erf and Clip).</summary>
public enum UnaryFunction
{
    Abs,
    Negate,
    Exp,
    Log,
    Sqrt,
    Reciprocal,
    Erf,
    /// <summary>min(max(x, lo), hi).</summary>
    Clip,
}
