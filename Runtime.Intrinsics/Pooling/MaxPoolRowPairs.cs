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

    /// <summary>
    /// Steps from the start while a whole vector of outputs fits before the output's end; returns how many. The
    /// steps after them (<see cref="Tail"/>) write their windows alone.
    /// </summary>
    private static int WholeSteps(int rowPairs, int k, int ow, int count) =>
        rowPairs * ow < count ? 0 : Math.Min(rowPairs / k, (rowPairs * ow - count) / (k * ow) + 1);

    /// <summary>
    /// The row pair each step after the whole ones starts at: every k up to the end, the last moved back to end
    /// at the last row pair.
    /// </summary>
    private static int Tail(int q, int rowPairs, int k) => Math.Min(q, rowPairs - k);

    private static void Forward<TVec, TOps, TTrack>(ref float xs, ref float ys, ref int ids, ref int t, int w, int rowPairs, int k)
        where TVec : struct where TOps : struct, IPoolVector<TVec> where TTrack : struct, IFlag
    {
        int count = TOps.Count, ow = w / 2, outs = k * ow, second = w * (2 * k - 1) - count, block = 2 * w * k;
        TVec corner = TOps.LoadInts(ref t, Corner * (nuint)count), left = TOps.LoadInts(ref t, Left * (nuint)count), right = TOps.LoadInts(ref t, Right * (nuint)count);
        var taps = new Taps<TVec, TOps>(w, second, left, right);
        int whole = WholeSteps(rowPairs, k, ow, count);
        // The main loop walks refs and a vector of the step's top-left inputs instead of recomputing them from q.
        ref float xq = ref xs, yq = ref ys;
        ref int iq = ref ids;
        TVec at = corner, advance = TOps.CreateInt(block);
        for (int step = 0; step < whole; step++)
        {
            TVec best = taps.Window(ref xq, out TVec winner);
            TOps.Store(best, ref yq, 0);
            if (TTrack.Value) TOps.StoreInts(TOps.AddInts(at, winner), ref iq, 0);
            xq = ref Unsafe.Add(ref xq, block);
            yq = ref Unsafe.Add(ref yq, outs);
            iq = ref Unsafe.Add(ref iq, outs);
            at = TOps.AddInts(at, advance);
        }
        // The rest through a vector on the stack, its windows copied out one by one (a loop, not a call: a call in
        // this method would spill every vector around it).
        ref float spill = ref MemoryMarshal.GetReference((Span<float>)stackalloc float[count]);
        ref int spillIds = ref MemoryMarshal.GetReference((Span<int>)stackalloc int[count]);
        for (int q = whole * k; q < rowPairs; q += k)
        {
            int p = Tail(q, rowPairs, k), first = 2 * w * p, o = ow * p;
            TOps.Store(taps.Window(ref Unsafe.Add(ref xs, first), out TVec winner), ref spill, 0);
            for (int i = 0; i < outs; i++) Unsafe.Add(ref ys, o + i) = Unsafe.Add(ref spill, i);
            if (!TTrack.Value) continue;
            TOps.StoreInts(TOps.AddInts(TOps.AddInts(corner, TOps.CreateInt(first)), winner), ref spillIds, 0);
            for (int i = 0; i < outs; i++) Unsafe.Add(ref ids, o + i) = Unsafe.Add(ref spillIds, i);
        }
    }

    /// <summary>The four taps of a step's windows, and how they combine.</summary>
    private readonly struct Taps<TVec, TOps>(int w, int second, TVec left, TVec right)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        private readonly TVec _one = TOps.CreateInt(1), _below = TOps.CreateInt(w), _belowRight = TOps.CreateInt(w + 1);

        /// <summary>The maxima of the windows of the step at <paramref name="x"/>; <paramref name="winner"/> their taps' offsets from the top-left input.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Window(ref float x, out TVec winner)
        {
            TVec a = TOps.Load(ref x, 0), b = TOps.Load(ref x, (nuint)second);
            TVec c = TOps.Load(ref x, (nuint)w), d = TOps.Load(ref x, (nuint)(w + second));
            TVec topLeft = TOps.Permute2(a, left, b), topRight = TOps.Permute2(a, right, b);
            TVec bottomLeft = TOps.Permute2(c, left, d), bottomRight = TOps.Permute2(c, right, d);
            TVec takeTop = TOps.Takes(topRight, topLeft), takeBottom = TOps.Takes(bottomRight, bottomLeft);
            TVec top = TOps.Select(takeTop, topRight, topLeft), bottom = TOps.Select(takeBottom, bottomRight, bottomLeft);
            TVec down = TOps.Takes(bottom, top);
            winner = TOps.Select(down, TOps.Select(takeBottom, _belowRight, _below), TOps.Select(takeTop, _one, TOps.CreateInt(0)));
            return TOps.Select(down, bottom, top);
        }
    }

    /// <summary>
    /// dx from dy through the indices, every input written once: dy + 0 at the chosen tap of each window (as the
    /// cleared sum gives it, −0 becoming +0) and 0 at the others; a window without an index (negative) passes
    /// nothing back. An index outside its window fails the pass with the message the scalar loop gives, naming the first.
    /// </summary>
    public static void Backward(SimdWidth width, int k, in Pool2DGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        int w = g.InputWidth, rowPairs = dy.Length / g.OutputWidth;
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        ref int t = ref MemoryMarshal.GetReference(TablesOf(width, w));
        bool done = width switch
        {
            SimdWidth.V512 => Backward<Vector512<float>, Pool512>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
            SimdWidth.V256 => Backward<Vector256<float>, Pool256>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
            _ => Backward<Vector128<float>, Pool128>(ref gs, ref ids, ref dxs, ref t, w, rowPairs, k),
        };
        if (done) return;
        for (int o = 0; o < dy.Length; o++)
        {
            int at = indices[o], corner = 2 * w * (o / g.OutputWidth) + 2 * (o % g.OutputWidth), tap = at - corner;
            if (at >= 0 && tap != 0 && tap != 1 && tap != w && tap != w + 1) throw MaxPool2D.IndexOutsideWindow(at, o, dx.Length);
        }
    }

    /// <summary>False when some index lies outside its window (dx is then written, but not as the indices say).</summary>
    private static bool Backward<TVec, TOps>(ref float gs, ref int ids, ref float dxs, ref int t, int w, int rowPairs, int k)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, ow = w / 2, outs = k * ow, block = 2 * w * k;
        var steps = new Scatters<TVec, TOps>(ref t, w, k);
        TVec back = TOps.LoadInts(ref t, Back * (nuint)count), zero = TOps.CreateInt(0), misses = zero;
        // Lanes past the step's windows hold the next step's outputs: marked as windows without an index (the sign
        // bit set), every check passes there.
        TVec beyond = TOps.And(TOps.EqualInts(TOps.NegativeInts(TOps.AddInts(TOps.Ramp(1), TOps.CreateInt(-outs))), zero), TOps.CreateInt(int.MinValue));
        int whole = WholeSteps(rowPairs, k, ow, count);
        ref float gq = ref gs, dq = ref dxs;
        ref int iq = ref ids;
        TVec at = back, advance = TOps.CreateInt(-block);
        for (int step = 0; step < whole; step++)
        {
            misses = steps.Step(TOps.Load(ref gq, 0), TOps.Or(TOps.LoadInts(ref iq, 0), beyond), at, ref dq, misses);
            gq = ref Unsafe.Add(ref gq, outs);
            iq = ref Unsafe.Add(ref iq, outs);
            dq = ref Unsafe.Add(ref dq, block);
            at = TOps.AddInts(at, advance);
        }
        // The rest through vectors on the stack, filled one by one (a loop, not a call: see the forward).
        ref float spill = ref MemoryMarshal.GetReference((Span<float>)stackalloc float[count]);
        ref int spillIds = ref MemoryMarshal.GetReference((Span<int>)stackalloc int[count]);
        for (int q = whole * k; q < rowPairs; q += k)
        {
            int p = Tail(q, rowPairs, k), first = 2 * w * p, o = ow * p;
            for (int i = 0; i < outs; i++) (Unsafe.Add(ref spill, i), Unsafe.Add(ref spillIds, i)) = (Unsafe.Add(ref gs, o + i), Unsafe.Add(ref ids, o + i));
            misses = steps.Step(TOps.Load(ref spill, 0), TOps.Or(TOps.LoadInts(ref spillIds, 0), beyond), TOps.AddInts(back, TOps.CreateInt(-first)), ref Unsafe.Add(ref dxs, first), misses);
        }
        return TOps.AllSet(TOps.EqualInts(misses, zero));
    }

    /// <summary>
    /// A step's dx from its windows' gradients and indices: the up to four vectors of its 2·W·k inputs (W·(2k − 1) ≤
    /// 2·Count and W ≤ 2·Count), the last ending at the step's end, each lane the gradient of its window where the
    /// window chose it, else 0. Written out rather than in a loop, whose trip count the JIT does not know.
    /// </summary>
    private readonly struct Scatters<TVec, TOps> where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        private readonly TVec _window0, _offset0, _window1, _offset1, _window2, _offset2, _window3, _offset3, _below;
        private readonly int _stores, _first1, _first2, _first3;

        public Scatters(ref int t, int w, int k)
        {
            int count = TOps.Count, block = 2 * w * k;
            _stores = (block + count - 1) / count;
            (_first1, _first2, _first3) = (Math.Min(count, block - count), Math.Min(2 * count, block - count), block - count);
            (_window0, _offset0) = (TOps.LoadInts(ref t, Window * (nuint)count), TOps.LoadInts(ref t, Offset * (nuint)count));
            (_window1, _offset1) = (TOps.LoadInts(ref t, (Window + 2) * (nuint)count), TOps.LoadInts(ref t, (Offset + 2) * (nuint)count));
            (_window2, _offset2) = (TOps.LoadInts(ref t, (Window + 4) * (nuint)count), TOps.LoadInts(ref t, (Offset + 4) * (nuint)count));
            (_window3, _offset3) = (TOps.LoadInts(ref t, (Window + 6) * (nuint)count), TOps.LoadInts(ref t, (Offset + 6) * (nuint)count));
            _below = TOps.CreateInt(w);
        }

        /// <summary>
        /// Writes the step's dx at <paramref name="dx"/>, <paramref name="back"/> its windows' top-left inputs
        /// negated; returns <paramref name="misses"/> with the lanes whose index lies outside its window set.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Step(TVec grad, TVec chosen, TVec back, ref float dx, TVec misses)
        {
            TVec zero = TOps.Create(0);
            grad = TOps.Add(grad, zero);
            // A window without an index (negative) has tap −1, which no input's offset matches; any other must have
            // its tap's row offset (the tap less its column bit) 0 or W: the smaller of it and it xor W, unsigned,
            // is 0. The misses gather in one vector, looked at once after the pass rather than a branch a step.
            TVec missing = TOps.NegativeInts(chosen), tap = TOps.Or(TOps.AddInts(chosen, back), missing);
            TVec row = TOps.And(tap, TOps.CreateInt(~1));
            misses = TOps.Or(misses, TOps.AndNot(TOps.MinUnsignedInts(row, TOps.Xor(row, _below)), missing));
            Store(tap, grad, _window0, _offset0, zero, ref dx, 0);
            if (_stores > 1) Store(tap, grad, _window1, _offset1, zero, ref dx, _first1);
            if (_stores > 2) Store(tap, grad, _window2, _offset2, zero, ref dx, _first2);
            if (_stores > 3) Store(tap, grad, _window3, _offset3, zero, ref dx, _first3);
            return misses;
        }

        /// <summary>One vector of a step's dx: its window's gradient where the window chose this tap, else 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(TVec tap, TVec grad, TVec window, TVec offset, TVec zero, ref float dx, int first) =>
            TOps.Store(TOps.Select(TOps.EqualInts(TOps.Permute(tap, window), offset), TOps.Permute(grad, window), zero), ref dx, (nuint)first);
    }
}
