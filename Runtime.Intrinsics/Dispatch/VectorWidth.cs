using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Where a kernel's width becomes a type: the optimizer and flush entry points pass their
/// <see cref="SimdWidth"/> (the caller's, normally <see cref="Isa.Width"/>, which <see cref="Isa.WidthVariable"/> may
/// force) and length here, and get their <see cref="IVectorKernel"/> run over <see cref="Float512"/>,
/// <see cref="Float256"/>, <see cref="Float128"/> or the scalar body. With <see cref="Isa.Width"/> a constant to the JIT,
/// the other arms compile away. The elementwise, sum and max drivers keep the same tests inline, and batch-norm a
/// switch over <see cref="Fit"/>: routed through here they were slower (Runtime.Intrinsics/README.md).
/// </summary>
internal static class VectorWidth
{
    /// <summary>Floats in one vector of <paramref name="width"/> (1 for the scalar body).</summary>
    public static int Lanes(SimdWidth width) => width switch
    {
        SimdWidth.V512 => 16,
        SimdWidth.V256 => 8,
        SimdWidth.V128 => 4,
        _ => 1,
    };

    /// <summary>
    /// The widest width not above <paramref name="width"/> whose vector fits in <paramref name="length"/> elements:
    /// what <see cref="Run{TKernel}"/> picks, for batch-norm's entry points, which switch over it themselves (see
    /// Runtime.Intrinsics/README.md).
    /// </summary>
    public static SimdWidth Fit(SimdWidth width, int length) =>
        width >= SimdWidth.V512 && length >= Vector512<float>.Count ? SimdWidth.V512 :
        width >= SimdWidth.V256 && length >= Vector256<float>.Count ? SimdWidth.V256 :
        width >= SimdWidth.V128 && length >= Vector128<float>.Count ? SimdWidth.V128 :
        SimdWidth.Scalar;

    // Each Run tests the width and the length in place rather than switching over Fit: the JIT did not fold such a
    // switch, and a ReLU over 33 floats took 4.3 ns instead of 3.4.

    /// <summary>
    /// Runs <paramref name="kernel"/> at the widest width not above <paramref name="width"/> whose vector fits in
    /// <paramref name="length"/> elements (the kernels end with one overlapping last vector, which needs a whole
    /// vector), else its scalar body.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel>(SimdWidth width, int length, TKernel kernel) where TKernel : IVectorKernel, allows ref struct
    {
        if (width >= SimdWidth.V512 && length >= Vector512<float>.Count) kernel.Run<Vector512<float>, Float512>();
        else if (width >= SimdWidth.V256 && length >= Vector256<float>.Count) kernel.Run<Vector256<float>, Float256>();
        else if (width >= SimdWidth.V128 && length >= Vector128<float>.Count) kernel.Run<Vector128<float>, Float128>();
        else kernel.RunScalar();
    }

    /// <summary>As <see cref="Run{TKernel}"/>, returning the kernel's result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TResult Run<TKernel, TResult>(SimdWidth width, int length, TKernel kernel) where TKernel : IVectorKernel<TResult>, allows ref struct
    {
        if (width >= SimdWidth.V512 && length >= Vector512<float>.Count) return kernel.Run<Vector512<float>, Float512>();
        if (width >= SimdWidth.V256 && length >= Vector256<float>.Count) return kernel.Run<Vector256<float>, Float256>();
        if (width >= SimdWidth.V128 && length >= Vector128<float>.Count) return kernel.Run<Vector128<float>, Float128>();
        return kernel.RunScalar();
    }
}
