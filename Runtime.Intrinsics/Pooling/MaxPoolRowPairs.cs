using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Max pooling with 2×2 windows at stride 2 that tile planes whose rows are at most two vectors long (LeNet's
/// 28×28 and 10×10). Such planes, and the N·C of them one after another, are one stream of row pairs: output row q
/// takes input rows 2q and 2q + 1 of the whole tensor. Each step takes <c>k</c> row pairs (as many as one
/// two-source permute reaches: k·W·2 − W ≤ 2·Count), four loads, and permutes out each tap of the k·W/2 windows
/// into a lane of its own, so a vector holds several short rows instead of one row's few windows. The taps combine
/// as (top left, top right) and (bottom left, bottom right), then the two: the first NaN and the first of equal
/// maxima in row-major order win, as in the scalar loop, since combining two runs in order is the loop over both.
/// The last step moves back over the one before when k does not divide the row pairs (writing the same values
/// twice), and a step whose vector would pass the output's end writes its own windows alone.
/// </summary>
internal static class MaxPoolRowPairs
{
    /// <summary>
    /// The width and row pairs per step for <paramref name="planes"/> planes of geometry <paramref name="g"/>, or
    /// (Scalar, 0) when the geometry is not 2×2 windows tiling the planes at stride 2, its rows are longer than two
    /// vectors or shorter than a vector's worth per step, the CPU lacks the permutes, or there are fewer row pairs
    /// than a step takes.
    /// </summary>
    public static (SimdWidth Width, int RowPairs) Choose(SimdWidth width, in Pool2DGeometry g, int planes)
    {
        if (!PoolWindows.PairTiles(g) || g.KernelHeight != 2) return (SimdWidth.Scalar, 0);
        long rowPairs = (long)planes * g.OutputHeight;
        foreach (var (candidate, count, permutes) in (ReadOnlySpan<(SimdWidth, int, bool)>)
            [(SimdWidth.V512, 16, Pool512.Permutes), (SimdWidth.V256, 8, Pool256.Permutes), (SimdWidth.V128, 4, Pool128.Permutes)])
        {
            if (candidate > width || !permutes) continue;
            int k = Step(g.InputWidth, count);
            if (k > 0 && rowPairs >= k) return (candidate, k);
        }
        return (SimdWidth.Scalar, 0);
    }

    /// <summary>
    /// Row pairs per step at <paramref name="count"/> lanes: the most whose top rows (and bottom rows) span at most
    /// two vectors, so that two loads hold them, and at least one, so that neither load reaches past the step's
    /// inputs; 0 where no k satisfies both.
    /// </summary>
    private static int Step(int w, int count)
    {
        int k = (2 * count / w + 1) / 2;
        return k >= 1 && w * (2 * k - 1) >= count ? k : 0;
    }

    // Per row width W (at W / 2), what the steps' lanes read and write, built once: lane i's window's top-left
    // input from the step's first (Corner, and its negation Back); the permute indices of its left and right taps into
    // the two loads of a row (Left, Right: the first load at the step's start, the second ending where its top rows
    // end); then for each of the up to four vectors of a step's inputs, the window of each of their lanes (Window)
    // and its tap's offset from that window's top-left input (Offset), the last vector ending at the step's end.
    // Built at run time per call they took longer than pooling a batch of one.
    private const int Corner = 0, Left = 1, Right = 2, Back = 3, Window = 4, Offset = 5, Tables = 12;
    private static readonly int[]?[] Tables512 = Build(16), Tables256 = Build(8), Tables128 = Build(4);

    private static int[]?[] Build(int count)
    {
        var tables = new int[]?[count + 1];
        for (int w = 2; w <= 2 * count; w += 2)
        {
            int k = Step(w, count);
            if (k == 0) continue;
            var t = tables[w / 2] = new int[Tables * count];
            int ow = w / 2, second = w * (2 * k - 1) - count, block = 2 * w * k;
            for (int i = 0; i < count; i++)
            {
                int e = i < k * ow ? 2 * w * (i / ow) + 2 * (i % ow) : 0; // lanes past the step's windows read lane 0's
                t[Corner * count + i] = e;
                t[Back * count + i] = -e;
                t[Left * count + i] = e < count ? e : count + e - second;
                t[Right * count + i] = e + 1 < count ? e + 1 : count + e + 1 - second;
            }
            for (int s = 0; s < (block + count - 1) / count; s++)
                for (int i = 0; i < count; i++)
                {
                    int e = Math.Min(s * count, block - count) + i, row = e / w, column = e % w;
                    t[(Window + 2 * s) * count + i] = row / 2 * ow + column / 2;
                    t[(Offset + 2 * s) * count + i] = row % 2 * w + column % 2;
                }
        }
        return tables;
    }

    private static ReadOnlySpan<int> TablesOf(SimdWidth width, int w) =>
        (width switch { SimdWidth.V512 => Tables512, SimdWidth.V256 => Tables256, _ => Tables128 })[w / 2];

    public static void Forward(SimdWidth width, int k, in Pool2DGeometry g, ReadOnlySpan<float> x, Span<float> y, Span<int> indices)
    {
        int w = g.InputWidth, rowPairs = y.Length / g.OutputWidth;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        ref int t = ref MemoryMarshal.GetReference(TablesOf(width, w));
        switch (width, indices.IsEmpty)
        {
            case (SimdWidth.V512, false): Forward<Vector512<float>, Pool512, Yes>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
            case (SimdWidth.V512, true): Forward<Vector512<float>, Pool512, No>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
            case (SimdWidth.V256, false): Forward<Vector256<float>, Pool256, Yes>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
            case (SimdWidth.V256, true): Forward<Vector256<float>, Pool256, No>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
            case (_, false): Forward<Vector128<float>, Pool128, Yes>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
            default: Forward<Vector128<float>, Pool128, No>(ref xs, ref ys, ref ids, ref t, w, rowPairs, k); break;
        }
    }

    // Whether the forward writes indices, as a type so that each loop is compiled without the other's work.
    private interface IFlag { static abstract bool Value { get; } }
    private readonly struct Yes : IFlag { public static bool Value => true; }
    private readonly struct No : IFlag { public static bool Value => false; }

    private static void Forward<TVec, TOps, TTrack>(ref float xs, ref float ys, ref int ids, ref int t, int w, int rowPairs, int k)
        where TVec : struct where TOps : struct, IPoolVector<TVec> where TTrack : struct, IFlag
    {
        int count = TOps.Count, ow = w / 2, outs = k * ow, total = rowPairs * ow, second = w * (2 * k - 1) - count;
        TVec corner = TOps.LoadInts(ref t, Corner * (nuint)count), left = TOps.LoadInts(ref t, Left * (nuint)count), right = TOps.LoadInts(ref t, Right * (nuint)count);
        TVec zero = TOps.CreateInt(0), one = TOps.CreateInt(1), below = TOps.CreateInt(w), belowRight = TOps.CreateInt(w + 1);
        // A step whose vector would pass the output's end goes through here, its windows copied out one by one (a
        // loop, not a call: a call in the loop would spill every vector around it).
        ref float spill = ref MemoryMarshal.GetReference((Span<float>)stackalloc float[count]);
        ref int spillIds = ref MemoryMarshal.GetReference((Span<int>)stackalloc int[count]);
        for (int q = 0; ; q += k)
        {
            bool last = q >= rowPairs - k;
            if (last) q = rowPairs - k;
            int at = 2 * w * q, o = ow * q;
            TVec a = TOps.Load(ref xs, (nuint)at), b = TOps.Load(ref xs, (nuint)(at + second));
            TVec c = TOps.Load(ref xs, (nuint)(at + w)), d = TOps.Load(ref xs, (nuint)(at + w + second));
            TVec topLeft = TOps.Permute2(a, left, b), topRight = TOps.Permute2(a, right, b);
            TVec bottomLeft = TOps.Permute2(c, left, d), bottomRight = TOps.Permute2(c, right, d);
            TVec takeTop = TOps.Takes(topRight, topLeft), takeBottom = TOps.Takes(bottomRight, bottomLeft);
            TVec top = TOps.Select(takeTop, topRight, topLeft), bottom = TOps.Select(takeBottom, bottomRight, bottomLeft);
            TVec down = TOps.Takes(bottom, top), best = TOps.Select(down, bottom, top);
            bool whole = o + count <= total;
            if (whole) TOps.Store(best, ref ys, (nuint)o);
            else
            {
                TOps.Store(best, ref spill, 0);
                for (int i = 0; i < outs; i++) Unsafe.Add(ref ys, o + i) = Unsafe.Add(ref spill, i);
            }
            if (TTrack.Value)
            {
                TVec winner = TOps.Select(down, TOps.Select(takeBottom, belowRight, below), TOps.Select(takeTop, one, zero));
                TVec at4 = TOps.AddInts(TOps.AddInts(corner, TOps.CreateInt(at)), winner);
                if (whole) TOps.StoreInts(at4, ref ids, (nuint)o);
                else
                {
                    TOps.StoreInts(at4, ref spillIds, 0);
                    for (int i = 0; i < outs; i++) Unsafe.Add(ref ids, o + i) = Unsafe.Add(ref spillIds, i);
                }
            }
            if (last) break;
        }
    }

    /// <summary>
    /// dx from dy through the indices, every input written once: dy + 0 at the chosen tap of each window (as the
    /// cleared sum gives it, −0 becoming +0) and 0 at the others; a window without an index (negative) passes
    /// nothing back. An index outside its window stops the pass with the message the scalar loop gives.
    /// </summary>
    public static void Backward(SimdWidth width, int k, in Pool2DGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        int w = g.InputWidth, rowPairs = dy.Length / g.OutputWidth;
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        ref int t = ref MemoryMarshal.GetReference(TablesOf(width, w));
        int bad = width switch
        {
            SimdWidth.V512 => Backward<Vector512<float>, Pool512>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
            SimdWidth.V256 => Backward<Vector256<float>, Pool256>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
            _ => Backward<Vector128<float>, Pool128>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
        };
        if (bad < 0) return;
        // The step from output bad on holds an index outside its window: name the first.
        for (int o = bad; o < dy.Length; o++)
        {
            int at = indices[o], corner = 2 * g.InputWidth * (o / g.OutputWidth) + 2 * (o % g.OutputWidth), tap = at - corner;
            if (at >= 0 && tap != 0 && tap != 1 && tap != w && tap != w + 1) throw MaxPool2D.IndexOutsideWindow(at, o, dx.Length);
        }
    }

    /// <summary>Returns −1 when done, else the first output of the step holding an index outside its window.</summary>
    private static int Backward<TVec, TOps>(ref float gs, ref int ids, ref float dxs, ref int t, int w, int rowPairs, int k)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, ow = w / 2, outs = k * ow, total = rowPairs * ow, block = 2 * w * k;
        // A step's 2·W·k inputs are at most four vectors (W·(2k − 1) ≤ 2·Count and W ≤ 2·Count), written out below
        // rather than in a loop, whose trip count the JIT does not know.
        int stores = (block + count - 1) / count;
        TVec window0 = TOps.LoadInts(ref t, Window * (nuint)count), offset0 = TOps.LoadInts(ref t, Offset * (nuint)count);
        TVec window1 = TOps.LoadInts(ref t, (Window + 2) * (nuint)count), offset1 = TOps.LoadInts(ref t, (Offset + 2) * (nuint)count);
        TVec window2 = TOps.LoadInts(ref t, (Window + 4) * (nuint)count), offset2 = TOps.LoadInts(ref t, (Offset + 4) * (nuint)count);
        TVec window3 = TOps.LoadInts(ref t, (Window + 6) * (nuint)count), offset3 = TOps.LoadInts(ref t, (Offset + 6) * (nuint)count);
        int first1 = Math.Min(count, block - count), first2 = Math.Min(2 * count, block - count), first3 = block - count;
        TVec toCorner = TOps.LoadInts(ref t, Back * (nuint)count), zero = TOps.Create(0);
        TVec even = TOps.CreateInt(~1), none = TOps.CreateInt(-1), below = TOps.CreateInt(w);
        // Lanes past the step's windows hold the next step's outputs: every check passes there.
        TVec beyond = TOps.EqualInts(TOps.NegativeInts(TOps.AddInts(TOps.Ramp(1), TOps.CreateInt(-outs))), zero);
        ref float spill = ref MemoryMarshal.GetReference((Span<float>)stackalloc float[count]);
        ref int spillIds = ref MemoryMarshal.GetReference((Span<int>)stackalloc int[count]);
        for (int q = 0; ; q += k)
        {
            bool last = q >= rowPairs - k;
            if (last) q = rowPairs - k;
            int at = 2 * w * q, o = ow * q;
            TVec grad, chosen;
            if (o + count <= total)
            {
                grad = TOps.Load(ref gs, (nuint)o);
                chosen = TOps.LoadInts(ref ids, (nuint)o);
            }
            else
            {
                for (int i = 0; i < outs; i++) (Unsafe.Add(ref spill, i), Unsafe.Add(ref spillIds, i)) = (Unsafe.Add(ref gs, o + i), Unsafe.Add(ref ids, o + i));
                grad = TOps.Load(ref spill, 0);
                chosen = TOps.LoadInts(ref spillIds, 0);
            }
            grad = TOps.Add(grad, zero);
            TVec missing = TOps.NegativeInts(chosen);
            TVec tap = TOps.Select(missing, none, TOps.AddInts(chosen, TOps.AddInts(toCorner, TOps.CreateInt(-at))));
            TVec row = TOps.And(tap, even);
            if (!TOps.AllSet(TOps.Or(TOps.Or(missing, beyond), TOps.Or(TOps.EqualInts(row, zero), TOps.EqualInts(row, below))))) return o;
            ref float dxStep = ref Unsafe.Add(ref dxs, at);
            Scatter<TVec, TOps>(tap, grad, window0, offset0, zero, ref dxStep, 0);
            if (stores > 1) Scatter<TVec, TOps>(tap, grad, window1, offset1, zero, ref dxStep, first1);
            if (stores > 2) Scatter<TVec, TOps>(tap, grad, window2, offset2, zero, ref dxStep, first2);
            if (stores > 3) Scatter<TVec, TOps>(tap, grad, window3, offset3, zero, ref dxStep, first3);
            if (last) return -1;
        }
    }

    /// <summary>One vector of a step's dx: its window's gradient where the window chose this tap, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<TVec, TOps>(TVec tap, TVec grad, TVec window, TVec offset, TVec zero, ref float dx, int first)
        where TVec : struct where TOps : struct, IPoolVector<TVec> =>
        TOps.Store(TOps.Select(TOps.EqualInts(TOps.Permute(tap, window), offset), TOps.Permute(grad, window), zero), ref dx, (nuint)first);
}
