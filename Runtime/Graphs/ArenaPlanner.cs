namespace Simd.Runtime.Graphs;

/// <summary>
/// Places buffers with known lifetimes in one block so that two buffers share memory only when their lifetimes do
/// not overlap (ONNX Runtime's planner and TFLite's arena do the same): largest first, each at the lowest offset
/// that no live neighbour occupies. Offsets are multiples of 16 floats (64 bytes) so every tensor starts on a cache
/// line and a whole Vector512.
/// </summary>
internal sealed class ArenaPlanner
{
    private const int AlignmentFloats = 16;

    private readonly List<(long Length, int Start, int End)> _buffers = [];

    /// <summary>Reserves <paramref name="length"/> floats live from time <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public int Add(long length, int start, int end)
    {
        if (end < start) throw new ArgumentException($"A buffer cannot end ({end}) before it starts ({start}).");
        _buffers.Add(((length + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats, start, end));
        return _buffers.Count - 1;
    }

    /// <summary>Offsets of every buffer, in the order added, and the floats the block needs.</summary>
    public (int[] Offsets, int Length) Plan()
    {
        var offsets = new long[_buffers.Count];
        var order = Enumerable.Range(0, _buffers.Count)
            .OrderByDescending(i => _buffers[i].Length).ThenBy(i => _buffers[i].Start).ThenBy(i => i).ToArray();
        var placed = new List<int>();
        long total = 0;
        foreach (int i in order)
        {
            var b = _buffers[i];
            // Occupied ranges of the placed buffers alive at the same time, by offset: take the first gap that fits.
            var busy = placed.Where(j => _buffers[j].Start <= b.End && b.Start <= _buffers[j].End)
                .Select(j => (Offset: offsets[j], End: offsets[j] + _buffers[j].Length)).OrderBy(r => r.Offset).ToList();
            long at = 0;
            foreach (var r in busy)
            {
                if (r.Offset - at >= b.Length) break;
                at = Math.Max(at, r.End);
            }
            offsets[i] = at;
            placed.Add(i);
            total = Math.Max(total, at + b.Length);
        }
        int length = CheckedLength(total);
        return (Array.ConvertAll(offsets, o => (int)o), length);
    }

    /// <summary>The floats of a block, refused when one array cannot hold them.</summary>
    public static int CheckedLength(long total) => total <= Array.MaxLength - AlignmentFloats
        ? (int)total
        : throw new ArgumentException($"The activations need {total} floats, more than one block can hold; lower the batch size.");
}
