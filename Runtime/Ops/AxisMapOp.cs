using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// What Expand, Tile and Pad share: each output element of a sample reads one input element, or a fill value, through
/// one index map per output sample axis (output index → input index, −1 for the fill), fixed once the shapes are
/// known. Input axes align with the output's from the last (an Expand may add leading ones). Forward copies runs of
/// the last axis where its map reads consecutive elements (the identity, or a Slice's window) and gathers along it elsewhere; backward adds each output's gradient
/// into the input element it read (a broadcast or tiled element sums its copies, a reflected one its mirrors, a
/// padding's gradient is dropped). The batch is never mapped: each sample maps alike.
/// </summary>
public abstract class AxisMapOp : Op
{
    private int[][] _maps = [];
    private int[] _inStrides = [], _outDims = [];
    /// <summary>The last axis's map reads consecutive input elements from <see cref="_innerStart"/>: its runs are span copies.</summary>
    private bool _innerContiguous;
    private int _innerStart;
    private int _inLength, _outLength;
    private int _scratch = -1;

    /// <summary>The value a −1 in a map reads (Pad's constant; 0 for the others, which have none).</summary>
    protected virtual float Fill => 0;

    /// <summary>One map per output axis, for an input of <paramref name="input"/>; each map's length is the output's size there.</summary>
    protected abstract int[][] Maps(TensorShape input);

    public sealed override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape input = inputs[0];
        int[][] maps = Maps(input);
        int rank = maps.Length, skip = rank - input.Rank;
        _inStrides = new int[rank];
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            int size = k < skip ? 1 : input[k - skip];
            _inStrides[k] = stride;
            stride *= size;
        }
        _maps = maps;
        _outDims = [.. maps.Select(m => m.Length)];
        _inLength = input.Length;
        var output = new TensorShape(_outDims);
        _outLength = output.Length;
        int[] inner = rank == 0 ? [] : maps[rank - 1];
        _innerStart = inner.Length == 0 ? 0 : inner[0];
        _innerContiguous = rank > 0 && _innerStart >= 0 && inner.Select((m, i) => m == _innerStart + i).All(b => b);
        return [output];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        _scratch = training ? 0 : -1;
        return training ? [maxBatch * _inLength] : [];
    }

    /// <summary>The sample's size on each axis, checked against an attribute's count of them.</summary>
    protected static int[] Dims(TensorShape input) => input.ToArray();

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> z = context.Output(0);
        Span<int> index = stackalloc int[TensorShape.MaxRank];
        for (int r = 0; r < context.Rows; r++) Forward(x.Slice(r * _inLength, _inLength), z.Slice(r * _outLength, _outLength), index);
    }

    /// <summary>Into scratch, then copied: the input's gradient may share memory with the output's, which all of it reads.</summary>
    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        ReadOnlySpan<float> dz = context.OutputGradient(0);
        Span<float> dx = context.Scratch(_scratch)[..(context.Rows * _inLength)];
        dx.Clear();
        Span<int> index = stackalloc int[TensorShape.MaxRank];
        for (int r = 0; r < context.Rows; r++) Backward(dz.Slice(r * _outLength, _outLength), dx.Slice(r * _inLength, _inLength), index);
        dx.CopyTo(context.InputGradient(0));
    }

    /// <summary>One sample, a run of the last axis at a time (the other axes counted like an odometer).</summary>
    private void Forward(ReadOnlySpan<float> x, Span<float> z, Span<int> index)
    {
        int rank = _maps.Length;
        if (rank == 0)
        {
            z[0] = x[0];
            return;
        }
        int[] inner = _maps[rank - 1];
        int n = inner.Length, stride = _inStrides[rank - 1];
        float fill = Fill;
        index[..rank].Clear();
        for (int row = 0; row * n < _outLength; row++)
        {
            Span<float> zr = z.Slice(row * n, n);
            if (Source(index, out int source) is false) zr.Fill(fill);
            else if (_innerContiguous) x.Slice(source + _innerStart, n).CopyTo(zr);
            else
                for (int j = 0; j < n; j++) zr[j] = inner[j] < 0 ? fill : x[source + inner[j] * stride];
            Advance(index);
        }
    }

    /// <summary>One sample's dx += each dz at the input element its output read.</summary>
    private void Backward(ReadOnlySpan<float> dz, Span<float> dx, Span<int> index)
    {
        int rank = _maps.Length;
        if (rank == 0)
        {
            dx[0] += dz[0];
            return;
        }
        int[] inner = _maps[rank - 1];
        int n = inner.Length, stride = _inStrides[rank - 1];
        index[..rank].Clear();
        for (int row = 0; row * n < _outLength; row++)
        {
            ReadOnlySpan<float> g = dz.Slice(row * n, n);
            if (Source(index, out int source))
            {
                if (_innerContiguous) Elementwise.Axpy(1, g, dx.Slice(source + _innerStart, n));
                else
                    for (int j = 0; j < n; j++)
                        if (inner[j] >= 0) dx[source + inner[j] * stride] += g[j];
            }
            Advance(index);
        }
    }

    /// <summary>The input offset of the run at <paramref name="index"/> (over all axes but the last); false where the run is all fill.</summary>
    private bool Source(ReadOnlySpan<int> index, out int source)
    {
        source = 0;
        for (int k = 0; k < _maps.Length - 1; k++)
        {
            int m = _maps[k][index[k]];
            if (m < 0) return false;
            source += m * _inStrides[k];
        }
        return true;
    }

    private void Advance(Span<int> index)
    {
        for (int k = _maps.Length - 2; k >= 0; k--)
        {
            if (++index[k] < _outDims[k]) return;
            index[k] = 0;
        }
    }
}
