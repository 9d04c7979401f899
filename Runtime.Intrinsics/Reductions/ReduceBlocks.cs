namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Walks a row-major tensor reduced over a set of its axes as contiguous blocks of its innermost run of axes.
/// Adjacent axes that are both kept or both reduced are merged and axes of size 1 dropped, so the shape alternates
/// kept and reduced groups; each block is the last group, read straight from x, and goes either into a row of y
/// (the last group kept: y's row of the same length) or into one element of y (the last group reduced). The
/// caller gives the work space (three ints per axis), so the walk allocates nothing.
/// </summary>
internal ref struct ReduceBlocks
{
    private readonly Span<int> _sizes;
    private readonly Span<int> _yStrides;
    private readonly Span<int> _index;
    private readonly int _outer;
    private int _block;

    public ReduceBlocks(ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<int> work)
    {
        _sizes = work.Slice(0, dims.Length);
        _yStrides = work.Slice(dims.Length, dims.Length);
        _index = work.Slice(2 * dims.Length, dims.Length);
        int groups = 0;
        bool lastReduced = false;
        long length = 1, yLength = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            length *= dims[i];
            if (!reduced[i]) yLength *= dims[i];
            if (dims[i] == 1) continue;
            if (groups > 0 && reduced[i] == lastReduced) _sizes[groups - 1] *= dims[i];
            else
            {
                _sizes[groups] = dims[i];
                _yStrides[groups] = reduced[i] ? 0 : 1;
                groups++;
                lastReduced = reduced[i];
            }
        }
        Length = (int)length;
        OutputLength = (int)yLength;
        if (groups == 0)
        {
            // One element, or none reduced of size above 1: a single kept block.
            _sizes[0] = 1;
            _yStrides[0] = 1;
            groups = 1;
            lastReduced = false;
        }
        InnerReduced = lastReduced;
        Inner = _sizes[groups - 1];
        _outer = groups - 1;
        // y's stride of each kept outer group: the kept sizes to its right.
        int stride = InnerReduced ? 1 : Inner;
        for (int g = _outer - 1; g >= 0; g--)
        {
            if (_yStrides[g] == 0) continue;
            _yStrides[g] = stride;
            stride *= _sizes[g];
        }
        _index.Clear();
        Blocks = Inner == 0 ? 0 : Length / Inner;
        XOffset = 0;
        YOffset = 0;
        _block = 0;
    }

    /// <summary>Elements of x.</summary>
    public int Length { get; }

    /// <summary>Elements of y.</summary>
    public int OutputLength { get; }

    /// <summary>Length of each block.</summary>
    public int Inner { get; }

    /// <summary>True when a block reduces to one element of y; false when it maps onto a row of y.</summary>
    public bool InnerReduced { get; }

    public int Blocks { get; }

    /// <summary>Where the current block starts in x.</summary>
    public int XOffset { get; private set; }

    /// <summary>Where its element or row starts in y.</summary>
    public int YOffset { get; private set; }

    /// <summary>Steps to the next block; false after the last.</summary>
    public bool MoveNext()
    {
        if (++_block >= Blocks) return false;
        XOffset += Inner;
        for (int g = _outer - 1; g >= 0; g--)
        {
            YOffset += _yStrides[g];
            if (++_index[g] < _sizes[g]) break;
            _index[g] = 0;
            YOffset -= _yStrides[g] * _sizes[g];
        }
        return true;
    }
}
