namespace Simd.Runtime.Intrinsics;

/// <summary>The vector width a kernel runs at. The numeric value is the width in bits (0 for scalar).</summary>
public enum SimdWidth
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}
