using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Numpy's broadcasting of up to three operands over [batch, output sample…], cut into contiguous runs: the batch
/// and sample axes with size-1 axes dropped and neighbours merged where every operand is contiguous across them; the
/// last is the run, along which each operand is contiguous or one broadcast value. Built on the stack per call, so
/// it allocates nothing.
/// </summary>
internal readonly ref struct BroadcastRuns
{
    public const int MaxAxes = TensorShape.MaxRank + 1;

    public const int MaxOperands = 3;

    /// <summary>The ints the caller stackallocs for it.</summary>
    public const int Space = (MaxOperands + 1) * MaxAxes;

    private readonly Span<int> _dims, _strides;
    private readonly int _outer, _operands;

    /// <param name="batchStrides">Each operand's stride along the batch: its sample length, or 0 for a constant the op holds.</param>
    /// <param name="strides">Each operand's strides along the output's sample axes (<see cref="Strides"/>).</param>
    public BroadcastRuns(int rows, int[] outDims, scoped ReadOnlySpan<int> batchStrides, int[][] strides, Span<int> space)
    {
        _operands = strides.Length;
        _dims = space[..MaxAxes];
        _strides = space.Slice(MaxAxes, MaxOperands * MaxAxes);
        int k = 0, outLength = 1;
        Append(ref k, rows, batchStrides, -1, strides);
        for (int i = 0; i < outDims.Length; i++)
        {
            Append(ref k, outDims[i], default, i, strides);
            outLength *= outDims[i];
        }
        _outer = k - 1;
        Inner = k == 0 ? 1 : _dims[k - 1];
        int count = rows == 0 || outLength == 0 ? 0 : 1;
        for (int i = 0; i < _outer; i++) count *= _dims[i];
        Count = count;
    }

    /// <summary>Elements per run.</summary>
    public int Inner { get; }

    /// <summary>Runs in all.</summary>
    public int Count { get; }

    /// <summary>True when the operand is contiguous along the run, false when one value of it serves the whole run.</summary>
    public bool IsRun(int operand) => _outer >= 0 && _strides[operand * MaxAxes + _outer] != 0;

    /// <summary>Where run <paramref name="run"/> starts in each operand.</summary>
    public void Offsets(int run, Span<int> offsets)
    {
        offsets[.._operands].Clear();
        for (int i = _outer - 1; i >= 0; i--)
        {
            int index = run % _dims[i];
            run /= _dims[i];
            for (int o = 0; o < _operands; o++) offsets[o] += index * _strides[o * MaxAxes + i];
        }
    }

    private void Append(ref int k, int size, scoped ReadOnlySpan<int> batchStrides, int axis, int[][] strides)
    {
        if (size == 1) return;
        bool merge = k > 0;
        for (int o = 0; o < _operands && merge; o++)
            merge = _strides[o * MaxAxes + k - 1] == Stride(o, batchStrides, axis, strides) * size;
        int at = merge ? k - 1 : k;
        _dims[at] = merge ? _dims[at] * size : size;
        for (int o = 0; o < _operands; o++) _strides[o * MaxAxes + at] = Stride(o, batchStrides, axis, strides);
        if (!merge) k++;
    }

    private static int Stride(int operand, ReadOnlySpan<int> batchStrides, int axis, int[][] strides) =>
        axis < 0 ? batchStrides[operand] : strides[operand][axis];

    /// <summary>The output's sample shape under numpy's broadcasting of <paramref name="shapes"/>; null when two sizes on an axis differ and neither is 1 (<paramref name="axis"/> says which, from the end).</summary>
    public static int[]? Shape(ReadOnlySpan<TensorShape> shapes, out int axis)
    {
        int rank = 0;
        foreach (TensorShape s in shapes) rank = Math.Max(rank, s.Rank);
        var dims = new int[rank];
        axis = 0;
        for (int k = 0; k < rank; k++)
        {
            int size = 1;
            foreach (TensorShape s in shapes)
            {
                int d = Size(s, k, rank);
                if (d == 1 || d == size) continue;
                if (size != 1)
                {
                    axis = k - rank;
                    return null;
                }
                size = d;
            }
            dims[k] = size;
        }
        return dims;
    }

    /// <summary>The operand's strides along the output's axes; 0 along an axis it is broadcast over.</summary>
    public static int[] Strides(TensorShape s, int[] dims)
    {
        var strides = new int[dims.Length];
        int stride = 1;
        for (int k = dims.Length - 1; k >= 0; k--)
        {
            int size = Size(s, k, dims.Length);
            strides[k] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }

    /// <summary>The operand's size on output axis k of <paramref name="rank"/> (1 where it has no such axis).</summary>
    public static int Size(TensorShape s, int k, int rank) => k < rank - s.Rank ? 1 : s[k - (rank - s.Rank)];
}
