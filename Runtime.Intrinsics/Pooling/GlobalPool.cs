namespace Simd.Runtime.Intrinsics;

/// <summary>
/// GlobalAveragePool and GlobalMaxPool over <c>planes</c> = N·C planes of <c>plane</c> = H·W elements each: one
/// output per plane. The maxima's indices are flat into x, like <see cref="MaxPool2D"/>'s; NaN wins (the first).
/// </summary>
public static class GlobalPool
{
    /// <summary>y[p] = mean of plane p.</summary>
    public static void AverageForward(int planes, int plane, ReadOnlySpan<float> x, Span<float> y) =>
        AverageForward(Isa.Width, planes, plane, x, y);

    internal static void AverageForward(SimdWidth width, int planes, int plane, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(planes, plane, x.Length, y.Length, "input", "output");
        float scale = 1f / plane;
        for (int p = 0; p < planes; p++) y[p] = Reductions.Sum(x.Slice(p * plane, plane), width) * scale;
    }

    /// <summary>dx[p, ·] = dy[p] / plane; dx is overwritten.</summary>
    public static void AverageBackward(int planes, int plane, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Check(planes, plane, dx.Length, dy.Length, "input gradient", "output gradient");
        float scale = 1f / plane;
        for (int p = 0; p < planes; p++) dx.Slice(p * plane, plane).Fill(dy[p] * scale);
    }

    /// <summary>y[p] = max of plane p; <paramref name="indices"/> (empty, or one per plane) receives where it is.</summary>
    public static void MaxForward(int planes, int plane, ReadOnlySpan<float> x, Span<float> y, Span<int> indices) =>
        MaxForward(Isa.Width, planes, plane, x, y, indices);

    internal static void MaxForward(SimdWidth width, int planes, int plane, ReadOnlySpan<float> x, Span<float> y, Span<int> indices)
    {
        Check(planes, plane, x.Length, y.Length, "input", "output");
        if (!indices.IsEmpty && indices.Length != planes)
            throw new ArgumentException($"Pooling: the indices have {indices.Length} elements; expected one per plane = {planes}.");
        for (int p = 0; p < planes; p++)
        {
            int at = p * plane + MaxDriver.ArgMax(x.Slice(p * plane, plane), width);
            y[p] = x[at];
            if (!indices.IsEmpty) indices[p] = at;
        }
    }

    /// <summary>dx = dy[p] at each plane's maximum, 0 elsewhere; dx is overwritten.</summary>
    public static void MaxBackward(int planes, int plane, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        Check(planes, plane, dx.Length, dy.Length, "input gradient", "output gradient");
        if (indices.Length != planes)
            throw new ArgumentException($"Pooling: the indices have {indices.Length} elements; expected one per plane = {planes}.");
        dx.Clear();
        for (int p = 0; p < planes; p++)
        {
            int at = indices[p];
            if (at < p * plane || at >= (p + 1) * plane)
                throw new ArgumentException($"Pooling: index {at} of plane {p} lies outside that plane's elements {p * plane}…{(p + 1) * plane - 1}.");
            dx[at] = dy[p];
        }
    }

    private static void Check(int planes, int plane, int planeLength, int outputLength, string planeName, string outputName)
    {
        if (planes < 0) throw new ArgumentException($"Pooling: the number of planes (batch·channels) must not be negative; got {planes}.");
        if (plane < 1) throw new ArgumentException($"Pooling: a plane (H·W) must hold at least 1 element; got {plane}.");
        if (planeLength != (long)planes * plane)
            throw new ArgumentException($"Pooling: the {planeName} has {planeLength} elements; expected planes·H·W = {(long)planes * plane}.");
        if (outputLength != planes)
            throw new ArgumentException($"Pooling: the {outputName} has {outputLength} elements; expected one per plane = {planes}.");
    }
}
