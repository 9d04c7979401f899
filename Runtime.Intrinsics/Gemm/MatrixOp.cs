namespace Simd.Runtime.Intrinsics;

/// <summary>How GEMM reads an operand: as stored, or transposed.</summary>
public enum MatrixOp
{
    None,
    Transpose,
}
