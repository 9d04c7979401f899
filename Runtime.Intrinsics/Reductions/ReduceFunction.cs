namespace Simd.Runtime.Intrinsics;

/// <summary>The functions <see cref="AxisReductions"/> reduces with (ONNX's ReduceSum … ReduceSumSquare).</summary>
public enum ReduceFunction
{
    /// <summary>Σ x; 0 over no values.</summary>
    Sum,
    /// <summary>Σ x / count; NaN over no values.</summary>
    Mean,
    /// <summary>max x (NaN if any is NaN); −∞ over no values.</summary>
    Max,
    /// <summary>min x (NaN if any is NaN); +∞ over no values.</summary>
    Min,
    /// <summary>Π x; 1 over no values.</summary>
    Prod,
    /// <summary>Σ |x|.</summary>
    L1,
    /// <summary>√(Σ x²).</summary>
    L2,
    /// <summary>log Σ exp(x), the maximum subtracted first; −∞ over no values.</summary>
    LogSumExp,
    /// <summary>Σ x².</summary>
    SumSquare,
}
