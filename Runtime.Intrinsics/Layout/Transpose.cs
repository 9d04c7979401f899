using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

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
/// of them with a stride of a whole row per float). Inside a tile, blocks of 8 × 8 (AVX) or 4 × 4 (SSE, NEON) floats
/// are transposed in registers: the portable vector API has no two-register shuffle, so these are the ISAs' own.
/// The edges a block does not cover, and the scalar width, move float by float.
/// </remarks>
public static class Transpose
{
    /// <summary>Axes of each tensor, at most.</summary>
    public const int MaxRank = 8;

    /// <summary>
    /// Side of the square tiles: 32 rows of 32 floats read and 32 written (8 KiB) stay in L1 even at power-of-two strides,
    /// whose rows share cache sets, and each written line is filled by neighbouring register blocks before it leaves L1
    /// (32 against 16 took the warm ONNX load of perf/compare/mlp.onnx, whose largest cost is a 256 × 784 transpose, from
    /// 0.148 to 0.129 ms).
    /// </summary>
    internal const int Tile = 32;

    /// <summary>
    /// <paramref name="y"/>[b] = <paramref name="x"/>[b] with its axes permuted, for each of the <paramref name="count"/>
    /// tensors of shape <paramref name="shape"/> (the output's shape is shape[perm[i]] for each i). Both spans hold at
    /// least count × Π shape floats and must not overlap.
    /// </summary>
    public static void Permute(ReadOnlySpan<float> x, Span<float> y, int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm) =>
        Permute(Isa.Width, x, y, count, shape, perm);

    /// <summary><see cref="Permute(ReadOnlySpan{float}, Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{int})"/> at a chosen width (tests run every path).</summary>
    internal static void Permute(SimdWidth width, ReadOnlySpan<float> x, Span<float> y, int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
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
        else TransposeTiles(Block(width), ref source, ref target, dims, order);
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
    private static void TransposeTiles(int block, ref float source, ref float target, ReadOnlySpan<int> dims, ReadOnlySpan<int> order)
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
            TransposeMatrix(block, ref Unsafe.Add(ref source, (nint)from), ref Unsafe.Add(ref target, (nint)to), rows, columns, rowStride, columnStride);
            for (int k = outerRank - 1; k >= 0; k--)
            {
                if (++index[k] < dims[outer[k]]) break;
                index[k] = 0;
            }
        }
    }

    /// <summary>The side of the register blocks at <paramref name="width"/>: 8 with AVX, 4 with SSE or NEON, 1 (float by float) else.</summary>
    private static int Block(SimdWidth width) =>
        width >= SimdWidth.V256 && Avx.IsSupported ? 8
        : width >= SimdWidth.V128 && (Sse.IsSupported || AdvSimd.Arm64.IsSupported) ? 4
        : 1;

    /// <summary>
    /// target[j·ldt + i] = source[i·lds + j] for i &lt; rows, j &lt; columns, tile by tile, each tile's source rows read in
    /// order (attention's keys, [6, 8] per sample, ran 5× faster this way than writing the output rows in order), in
    /// register blocks of <paramref name="block"/> rows and columns where they fit.
    /// </summary>
    /// <remarks>Optimized from the first call: an import transposes each weight once, and tiered compilation would run
    /// the first loads' transposes unoptimized.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeMatrix(int block, ref float source, ref float target, int rows, int columns, long lds, long ldt)
    {
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < columns; j0 += Tile)
            {
                int j1 = Math.Min(columns, j0 + Tile);
                int i = i0;
                for (; block > 1 && i + block <= i1; i += block)
                {
                    int j = j0;
                    for (; j + block <= j1; j += block)
                    {
                        ref float from = ref Unsafe.Add(ref source, (nint)(i * lds + j));
                        ref float to = ref Unsafe.Add(ref target, (nint)(j * ldt + i));
                        if (block == 8) Block8(ref from, (nuint)lds, ref to, (nuint)ldt);
                        else Block4(ref from, (nuint)lds, ref to, (nuint)ldt);
                    }
                    if (j < j1) Floats(ref source, ref target, i, i + block, j, j1, lds, ldt);
                }
                if (i < i1) Floats(ref source, ref target, i, i1, j0, j1, lds, ldt);
            }
        }
    }

    /// <summary>Rows [i0, i1) and columns [j0, j1) of a tile, float by float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Floats(ref float source, ref float target, int i0, int i1, int j0, int j1, long lds, long ldt)
    {
        for (int i = i0; i < i1; i++)
        {
            ref float from = ref Unsafe.Add(ref source, (nint)(i * lds));
            ref float to = ref Unsafe.Add(ref target, i);
            for (int j = j0; j < j1; j++) Unsafe.Add(ref to, (nint)(j * ldt)) = Unsafe.Add(ref from, j);
        }
    }

    /// <summary>The 4 × 4 block at source (rows lds apart) into target (rows ldt apart), transposed; needs SSE or NEON.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block4(ref float source, nuint lds, ref float target, nuint ldt)
    {
        Vector128<float> r0 = Vector128.LoadUnsafe(ref source), r1 = Vector128.LoadUnsafe(ref source, lds);
        Vector128<float> r2 = Vector128.LoadUnsafe(ref source, 2 * lds), r3 = Vector128.LoadUnsafe(ref source, 3 * lds);
        Vector128<float> c0, c1, c2, c3;
        if (Sse.IsSupported)
        {
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
            (c0, c1, c2, c3) = (Sse.MoveLowToHigh(t0, t1), Sse.MoveHighToLow(t1, t0), Sse.MoveLowToHigh(t2, t3), Sse.MoveHighToLow(t3, t2));
        }
        else
        {
            // Pairs of rows interleaved (a0 b0 a1 b1, a2 b2 a3 b3), then pairs of pairs, as doubles.
            Vector128<double> t0 = AdvSimd.Arm64.ZipLow(r0, r1).AsDouble(), t1 = AdvSimd.Arm64.ZipHigh(r0, r1).AsDouble();
            Vector128<double> t2 = AdvSimd.Arm64.ZipLow(r2, r3).AsDouble(), t3 = AdvSimd.Arm64.ZipHigh(r2, r3).AsDouble();
            (c0, c1) = (AdvSimd.Arm64.ZipLow(t0, t2).AsSingle(), AdvSimd.Arm64.ZipHigh(t0, t2).AsSingle());
            (c2, c3) = (AdvSimd.Arm64.ZipLow(t1, t3).AsSingle(), AdvSimd.Arm64.ZipHigh(t1, t3).AsSingle());
        }
        c0.StoreUnsafe(ref target);
        c1.StoreUnsafe(ref target, ldt);
        c2.StoreUnsafe(ref target, 2 * ldt);
        c3.StoreUnsafe(ref target, 3 * ldt);
    }

    /// <summary>The 8 × 8 block at source (rows lds apart) into target (rows ldt apart), transposed; needs AVX.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block8(ref float source, nuint lds, ref float target, nuint ldt)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source), r1 = Vector256.LoadUnsafe(ref source, lds);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, 2 * lds), r3 = Vector256.LoadUnsafe(ref source, 3 * lds);
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, 4 * lds), r5 = Vector256.LoadUnsafe(ref source, 5 * lds);
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, 6 * lds), r7 = Vector256.LoadUnsafe(ref source, 7 * lds);
        // Per 128-bit half: pairs of rows interleaved, then groups of four columns gathered.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Column c: the low halves of u(c) and u(c+4) for c < 4, the high halves for c ≥ 4.
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref target, ldt);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref target, 2 * ldt);
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref target, 3 * ldt);
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref target, 4 * ldt);
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref target, 5 * ldt);
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref target, 6 * ldt);
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref target, 7 * ldt);
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
