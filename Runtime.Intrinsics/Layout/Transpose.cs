using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Permutes the axes of row-major tensors: <c>count</c> tensors of one shape, one after another (a batch), each
/// written with its axes in the order <c>perm</c> gives (output axis i is input axis perm[i], numpy's and ONNX's
/// convention). It moves floats and computes nothing, so every width gives the same bits.
/// </summary>
/// <remarks>
/// The axes are first brought to their fewest: axes of size 1 are dropped and axes that stay neighbours in the same
/// order are merged (a batch of [T, D] → [D, T] is one 2-D transpose per sample; [A, B, C] → [A, C, B] a batch of A
/// of them). Where the input's last axis stays last, each output row is a run of input floats, copied whole. Otherwise
/// the input's last axis and the output's last axis span a matrix that is transposed in square tiles of
/// <see cref="Tile"/> floats a side, which keeps both the rows read and the rows written in L1 (a plain loop walks one
/// of them with a stride of a whole row per float). The portable vector API has no two-register shuffle to transpose
/// inside registers, so a tile moves float by float.
/// </remarks>
public static class Transpose
{
    /// <summary>Axes of each tensor, at most.</summary>
    public const int MaxRank = 8;

    /// <summary>Side of the square tiles: 16 rows of 16 floats read and written stay in L1 even at power-of-two strides, whose rows share cache sets.</summary>
    internal const int Tile = 16;

    /// <summary>
    /// <paramref name="y"/>[b] = <paramref name="x"/>[b] with its axes permuted, for each of the <paramref name="count"/>
    /// tensors of shape <paramref name="shape"/> (the output's shape is shape[perm[i]] for each i). Both spans hold at
    /// least count × Π shape floats and must not overlap.
    /// </summary>
    public static void Permute(ReadOnlySpan<float> x, Span<float> y, int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
    {
        long length = Check(x, y, count, shape, perm);
        if (length == 0) return;
        Span<int> dims = stackalloc int[MaxRank + 1];
        Span<int> order = stackalloc int[MaxRank + 1];
        int rank = Canonical(count, shape, perm, dims, order);
        dims = dims[..rank];
        order = order[..rank];
        ref float source = ref MemoryMarshal.GetReference(x);
        ref float target = ref MemoryMarshal.GetReference(y);
        if (rank <= 1 || order[rank - 1] == rank - 1) CopyRuns(ref source, ref target, dims, order);
        else TransposeTiles(ref source, ref target, dims, order);
    }

    private static long Check(ReadOnlySpan<float> x, Span<float> y, int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The count of tensors must not be negative.");
        if (shape.Length != perm.Length)
            throw new ArgumentException($"The shape has {shape.Length} axes and the permutation {perm.Length}; they must agree.");
        if (shape.Length > MaxRank) throw new ArgumentException($"A tensor has at most {MaxRank} axes here, got {shape.Length}.");
        int seen = 0;
        long length = count;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"Axis {i} has size {shape[i]}; sizes must not be negative.");
            if ((uint)perm[i] >= (uint)shape.Length || (seen & (1 << perm[i])) != 0)
                throw new ArgumentException($"The permutation [{string.Join(", ", perm.ToArray())}] does not name each of the {shape.Length} axes once.");
            seen |= 1 << perm[i];
            length *= shape[i];
        }
        if (length > int.MaxValue) throw new ArgumentException($"{length} floats are more than a span holds.");
        if (x.Length < length) throw new ArgumentException($"x holds {x.Length} floats; count × the shape needs {length}.");
        if (y.Length < length) throw new ArgumentException($"y holds {y.Length} floats; count × the shape needs {length}.");
        if (length > 0 && x[..(int)length].Overlaps(y[..(int)length]))
            throw new ArgumentException("x and y overlap; a transpose writes into another buffer.");
        return length;
    }

    /// <summary>
    /// The batch as axis 0 (kept in place), axes of size 1 dropped, and output neighbours that are input neighbours
    /// in the same order merged: dims are the input's sizes and output axis i is input axis order[i]. Returns the rank.
    /// </summary>
    internal static int Canonical(int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<int> dims, Span<int> order)
    {
        // Input axes that survive (size > 1), renumbered.
        int rank = shape.Length + 1;
        Span<int> size = stackalloc int[MaxRank + 1];
        Span<int> renumber = stackalloc int[MaxRank + 1];
        size[0] = count;
        for (int i = 0; i < shape.Length; i++) size[i + 1] = shape[i];
        int kept = 0;
        for (int a = 0; a < rank; a++) renumber[a] = size[a] == 1 ? -1 : kept++;
        // The output order over the kept input axes.
        Span<int> outOrder = stackalloc int[MaxRank + 1];
        int n = 0;
        for (int i = 0; i < rank; i++)
        {
            int a = i == 0 ? 0 : perm[i - 1] + 1;
            if (renumber[a] >= 0) outOrder[n++] = renumber[a];
        }
        Span<int> keptSize = stackalloc int[MaxRank + 1];
        for (int a = 0; a < rank; a++)
            if (renumber[a] >= 0) keptSize[renumber[a]] = size[a];
        // Merge: output axis i+1 reading the input axis right after output axis i's joins it.
        Span<int> groupOf = stackalloc int[MaxRank + 1];
        Span<bool> startsGroup = stackalloc bool[MaxRank + 1];
        for (int i = 0; i < n; i++) startsGroup[i] = i == 0 || outOrder[i] != outOrder[i - 1] + 1;
        // Groups are numbered in input order: a group is known by its first input axis.
        int groups = 0;
        for (int a = 0; a < n; a++)
        {
            int i = outOrder.IndexOf(a);
            if (startsGroup[i]) groupOf[a] = groups++;
            else groupOf[a] = groupOf[a - 1];
        }
        dims[..groups].Fill(1);
        for (int a = 0; a < n; a++) dims[groupOf[a]] *= keptSize[a];
        int g = 0;
        for (int i = 0; i < n; i++)
            if (startsGroup[i]) order[g++] = groupOf[outOrder[i]];
        return groups;
    }

    /// <summary>The input's last axis stays last: each output row is a run of that many input floats.</summary>
    private static void CopyRuns(ref float source, ref float target, ReadOnlySpan<int> dims, ReadOnlySpan<int> order)
    {
        int rank = dims.Length;
        int run = rank == 0 ? 1 : dims[rank - 1];
        Span<long> strides = stackalloc long[MaxRank + 1];
        InputStrides(dims, strides);
        Span<int> index = stackalloc int[MaxRank + 1];
        index.Clear();
        long runs = 1;
        for (int i = 0; i < rank - 1; i++) runs *= dims[order[i]];
        long from = 0;
        for (long r = 0; r < runs; r++)
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, (nint)from), run)
                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, (nint)(r * run)), run));
            from = Next(index, dims, order, strides, rank - 1, from);
        }
    }

    /// <summary>
    /// The input's last axis a and the output's last axis (input axis b) span a matrix per index of the other axes:
    /// rows along b (input stride sIn[b], output stride 1), columns along a (input stride 1, output stride of a).
    /// </summary>
    private static void TransposeTiles(ref float source, ref float target, ReadOnlySpan<int> dims, ReadOnlySpan<int> order)
    {
        int rank = dims.Length;
        int a = rank - 1, b = order[rank - 1];
        Span<long> inStrides = stackalloc long[MaxRank + 1];
        InputStrides(dims, inStrides);
        // The output stride of each input axis.
        Span<long> outStrides = stackalloc long[MaxRank + 1];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            outStrides[order[i]] = stride;
            stride *= dims[order[i]];
        }
        int rows = dims[b], columns = dims[a];
        long rowStride = inStrides[b], columnStride = outStrides[a];
        // The other axes, walked in output order, and where each of their matrices starts in x and in y.
        Span<int> outer = stackalloc int[MaxRank + 1];
        int outerRank = 0;
        for (int i = 0; i < rank; i++)
            if (order[i] != a && order[i] != b) outer[outerRank++] = order[i];
        Span<int> index = stackalloc int[MaxRank + 1];
        index.Clear();
        long matrices = 1;
        for (int k = 0; k < outerRank; k++) matrices *= dims[outer[k]];
        for (long m = 0; m < matrices; m++)
        {
            long from = 0, to = 0;
            for (int k = 0; k < outerRank; k++)
            {
                from += index[k] * inStrides[outer[k]];
                to += index[k] * outStrides[outer[k]];
            }
            TransposeMatrix(ref Unsafe.Add(ref source, (nint)from), ref Unsafe.Add(ref target, (nint)to), rows, columns, rowStride, columnStride);
            for (int k = outerRank - 1; k >= 0; k--)
            {
                if (++index[k] < dims[outer[k]]) break;
                index[k] = 0;
            }
        }
    }

    /// <summary>
    /// target[j·ldt + i] = source[i·lds + j] for i &lt; rows, j &lt; columns, tile by tile, each tile's source rows read in
    /// order (attention's keys, [6, 8] per sample, ran 5× faster this way than writing the output rows in order).
    /// </summary>
    private static void TransposeMatrix(ref float source, ref float target, int rows, int columns, long lds, long ldt)
    {
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < columns; j0 += Tile)
            {
                int j1 = Math.Min(columns, j0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    ref float from = ref Unsafe.Add(ref source, (nint)(i * lds));
                    ref float to = ref Unsafe.Add(ref target, i);
                    for (int j = j0; j < j1; j++) Unsafe.Add(ref to, (nint)(j * ldt)) = Unsafe.Add(ref from, j);
                }
            }
        }
    }

    private static void InputStrides(ReadOnlySpan<int> dims, Span<long> strides)
    {
        long stride = 1;
        for (int a = dims.Length - 1; a >= 0; a--)
        {
            strides[a] = stride;
            stride *= dims[a];
        }
    }

    /// <summary>Steps the index of the first <paramref name="axes"/> output axes (the last fastest) and returns the input offset it reads.</summary>
    private static long Next(Span<int> index, ReadOnlySpan<int> dims, ReadOnlySpan<int> order, ReadOnlySpan<long> strides, int axes, long from)
    {
        for (int i = axes - 1; i >= 0; i--)
        {
            int axis = order[i];
            if (++index[i] < dims[axis]) return from + strides[axis];
            from -= (long)(dims[axis] - 1) * strides[axis];
            index[i] = 0;
        }
        return from;
    }
}
