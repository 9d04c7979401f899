using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Subnormal floats (0 &lt; |x| &lt; 2⁻¹²⁶) cost tens to hundreds of cycles per operation on most x86 cores when
/// the FPU's flush-to-zero mode is off, and .NET gives no way to turn it on. So the runtime keeps them out of
/// the values it iterates on: the optimizer updates flush their state and the updated weights (see
/// <see cref="OptimizerUpdates"/>), and weights are flushed once when a model is loaded or frozen. This matches
/// PyTorch's <c>torch.set_flush_denormal(True)</c> and TensorFlow's CPU default for the values it touches.
/// </summary>
public static class Subnormals
{
    /// <summary>The smallest positive normal float, 2⁻¹²⁶; anything smaller in magnitude (but not zero) is subnormal.</summary>
    public const float MinNormal = 1.17549435E-38f;

    /// <summary>x, or +0 when x is subnormal or −0: the scalar form of <see cref="IFloatVector{TVec}.FlushSubnormal"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Flush(float x) => (BitConverter.SingleToInt32Bits(x) & ExponentBits) == 0 ? 0f : x;

    /// <summary>The exponent field of a float, zero exactly for zeros and subnormals.</summary>
    internal const int ExponentBits = 0x7F800000;

    /// <summary>Replaces every subnormal value (and −0) with +0 in place; NaN, infinities and normal values are kept.</summary>
    public static void FlushToZero(Span<float> values) => FlushToZero(Isa.Width, values);

    internal static void FlushToZero(SimdWidth width, Span<float> values)
    {
        // In place: the copy kernel with the values as both ends (each vector is read before it is written).
        VectorWidth.Run(width, values.Length, new CopyFlushKernel(values, values));
    }

    /// <summary>
    /// <paramref name="destination"/> = <paramref name="source"/> with every subnormal value (and −0) as +0, in one pass:
    /// a frozen model's weights are copied and flushed together. The spans must be as long and must not overlap.
    /// </summary>
    public static void CopyFlushingToZero(ReadOnlySpan<float> source, Span<float> destination) => CopyFlushingToZero(Isa.Width, source, destination);

    internal static void CopyFlushingToZero(SimdWidth width, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"The source holds {source.Length} floats and the destination {destination.Length}; they must be as long.", nameof(destination));
        if (source.Overlaps(destination))
            throw new ArgumentException("The source and the destination overlap; flush in place with FlushToZero.", nameof(destination));
        VectorWidth.Run(width, source.Length, new CopyFlushKernel(source, destination));
    }

    /// <summary>How many values are subnormal (diagnostics and tests).</summary>
    public static int Count(ReadOnlySpan<float> values)
    {
        int count = 0;
        foreach (float x in values)
            if (float.IsSubnormal(x)) count++;
        return count;
    }

    /// <summary>
    /// Whole vectors, then one overlapping last vector: it rewrites values already written, the same, and in place it
    /// flushes some of them twice, which changes nothing.
    /// </summary>
    private readonly ref struct CopyFlushKernel(ReadOnlySpan<float> source, Span<float> destination) : IVectorKernel
    {
        private readonly ReadOnlySpan<float> _source = source;
        private readonly Span<float> _destination = destination;

        // Optimized from the first call: a model's load flushes each tensor once, so tiered compilation would run
        // these loops unoptimized through the first loads (and the first answer).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec>
        {
            ref float from = ref MemoryMarshal.GetReference(_source);
            ref float to = ref MemoryMarshal.GetReference(_destination);
            nuint count = (nuint)TOps.Count, last = (nuint)_source.Length - count;
            for (nuint i = 0; i < last; i += count) TOps.Store(TOps.FlushSubnormal(TOps.Load(ref from, i)), ref to, i);
            TOps.Store(TOps.FlushSubnormal(TOps.Load(ref from, last)), ref to, last);
        }

        public void RunScalar()
        {
            for (int i = 0; i < _source.Length; i++) _destination[i] = Flush(_source[i]);
        }
    }
}
