namespace Simd.Runtime.Intrinsics;

/// <summary>How <see cref="Conv2D.Forward(in Conv2DGeometry, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ActivationKind, float, int)"/> computes a shape.</summary>
public enum Conv2DAlgorithm
{
    /// <summary>Plain loops over the definition (the scalar width).</summary>
    Reference,
    /// <summary>Direct vector loops over a zero-bordered copy of the input (register tiles, no column matrix): stride width 1.</summary>
    Direct,
    /// <summary>Panels of the column matrix (im2col; none for a pointwise convolution) multiplied by GEMM.</summary>
    Columns,
}
