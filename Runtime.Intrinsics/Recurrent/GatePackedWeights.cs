namespace Simd.Runtime.Intrinsics;

/// <summary>
/// A recurrent weight matrix R [gates·hidden, k] (ONNX's layout: gate q of unit j is row q·hidden + j) packed for
/// one batch row's step: the gates of a block of <see cref="Units"/> hidden units side by side along k. Block u holds,
/// for each k in turn, gate 0 of units u·Units.., then gate 1, …, so a step reads the block as one contiguous stream
/// and ends with every gate of those units in registers, ready for the cell (<see cref="LstmCell.ForwardRow"/>).
/// At batch 1 the step is bound by reading R (256 KB for an LSTM of 128 hidden, from L2 every step): one stream
/// keeps the hardware prefetcher ahead, where GEMM's 32-column panels are read as four streams 16 KB apart.
/// Units past hidden are zero. Native, 64-byte aligned memory: dispose it when done.
/// </summary>
public sealed unsafe class GatePackedWeights : IDisposable
{
    readonly NativeFloats _data;

    /// <summary>Packs r [gates·hidden × k] (row stride k) for the kernels of <paramref name="width"/>.</summary>
    public GatePackedWeights(int gates, int hidden, int k, ReadOnlySpan<float> r, SimdWidth width)
    {
        if (gates <= 0 || hidden <= 0 || k <= 0)
            throw new ArgumentException($"Gate-packed weights need at least one gate, unit and input, got gates {gates}, hidden {hidden}, k {k}.");
        long expected = (long)gates * hidden * k;
        if (r.Length != expected)
            throw new ArgumentException($"r holds {r.Length} weights, expected gates·hidden·k = {gates}·{hidden}·{k} = {expected}.", nameof(r));
        Width = width;
        Gates = gates;
        Hidden = hidden;
        K = k;
        Units = UnitsFor(width);
        Blocks = (hidden + Units - 1) / Units;
        BlockStride = checked((long)k * gates * Units);
        _data = new NativeFloats(Blocks * BlockStride);
        float* d = _data.Of(this);
        for (int u = 0; u < Blocks; u++)
            for (int p = 0; p < k; p++)
                for (int q = 0; q < gates; q++)
                    for (int lane = 0; lane < Units; lane++)
                    {
                        int j = u * Units + lane;
                        *d++ = j < hidden ? r[(q * hidden + j) * k + p] : 0f;
                    }
    }

    /// <summary>Units per block at a width: two vectors (one lane group of eight for the scalar reference).</summary>
    internal static int UnitsFor(SimdWidth width) => width switch
    {
        SimdWidth.V512 => 32,
        SimdWidth.V256 => 16,
        _ => 8,
    };

    /// <summary>The width whose kernels this layout feeds.</summary>
    public SimdWidth Width { get; }

    public int Gates { get; }

    public int Hidden { get; }

    /// <summary>Inputs of the product: the hidden size for R.</summary>
    public int K { get; }

    internal int Units { get; }

    internal int Blocks { get; }

    /// <summary>Floats from one block to the next.</summary>
    internal long BlockStride { get; }

    internal float* Data => _data.Of(this);

    public void Dispose() => _data.Dispose();
}
