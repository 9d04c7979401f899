using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The one place a kernel's width becomes a type: every entry point passes its <see cref="SimdWidth"/> (the caller's,
/// normally <see cref="Isa.Width"/>, which <see cref="Isa.WidthVariable"/> may force) and its length here, and gets its
/// <see cref="IVectorKernel"/> run over <see cref="Float512"/>, <see cref="Float256"/>, <see cref="Float128"/> or the
/// scalar body. With <see cref="Isa.Width"/> a constant to the JIT, the other arms compile away.
/// </summary>
internal static class VectorWidth
{
    /// <summary>
    /// The widest width not above <paramref name="width"/> whose vector fits in <paramref name="length"/> elements:
    /// the kernels finish with one overlapping last vector, which needs at least one whole vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdWidth Fit(SimdWidth width, int length) =>
        width >= SimdWidth.V512 && length >= Vector512<float>.Count ? SimdWidth.V512 :
        width >= SimdWidth.V256 && length >= Vector256<float>.Count ? SimdWidth.V256 :
        width >= SimdWidth.V128 && length >= Vector128<float>.Count ? SimdWidth.V128 :
        SimdWidth.Scalar;

    // Written as the same tests as Fit rather than a switch over its result: the JIT folds these with a constant
    // width, but did not thread a switch over Fit's result, which cost short rows (softmax over 10 classes) 20%.

    /// <summary>Runs <paramref name="kernel"/> at <see cref="Fit"/>(<paramref name="width"/>, <paramref name="length"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TKernel>(SimdWidth width, int length, TKernel kernel) where TKernel : IVectorKernel, allows ref struct
    {
        if (width >= SimdWidth.V512 && length >= Vector512<float>.Count) kernel.Run<Vector512<float>, Float512>();
        else if (width >= SimdWidth.V256 && length >= Vector256<float>.Count) kernel.Run<Vector256<float>, Float256>();
        else if (width >= SimdWidth.V128 && length >= Vector128<float>.Count) kernel.Run<Vector128<float>, Float128>();
        else kernel.RunScalar();
    }

    /// <summary>Runs <paramref name="kernel"/> at <see cref="Fit"/>(<paramref name="width"/>, <paramref name="length"/>) and returns its result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TResult Run<TKernel, TResult>(SimdWidth width, int length, TKernel kernel) where TKernel : IVectorKernel<TResult>, allows ref struct
    {
        if (width >= SimdWidth.V512 && length >= Vector512<float>.Count) return kernel.Run<Vector512<float>, Float512>();
        if (width >= SimdWidth.V256 && length >= Vector256<float>.Count) return kernel.Run<Vector256<float>, Float256>();
        if (width >= SimdWidth.V128 && length >= Vector128<float>.Count) return kernel.Run<Vector128<float>, Float128>();
        return kernel.RunScalar();
    }
}
