namespace Simd.Runtime.Intrinsics;

/// <summary>Argument checks of the pooling kernels; messages name the tensor and the expected length.</summary>
internal static class Pooling
{
    public static void Check(in Pool2DGeometry g, int planes, int actual, string what, int plane)
    {
        if (planes < 0) throw new ArgumentException($"Pooling: the number of planes (batch·channels) must not be negative; got {planes}.");
        long expected = (long)planes * plane;
        if (actual != expected)
            throw new ArgumentException($"Pooling: the {what} has {actual} elements; expected planes·{plane} = {expected} for {g}.");
    }

    public static void Disjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        if (input.Overlaps(output))
            throw new ArgumentException("Pooling: the output overlaps the input; expected separate buffers.");
    }
}
