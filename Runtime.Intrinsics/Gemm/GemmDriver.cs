using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The GEMM loops around one width's kernels. Blocked path (BLIS): NC → KC (pack B) → MC (pack A, or read it in
/// place where its rows do not collide in L2: <see cref="GemmBlocking.ReadsAInPlace"/>) → NR → MR around the MR×NR
/// micro-kernel. Small-M path (M ≤ <see cref="SmallM"/>): rows of A read in place against B streamed row by row. Outer path (K = 1): rows of C written whole, nothing packed. Work items split C into
/// column (or row) ranges at tile boundaries; the K blocks are the same for every split, so every element of C
/// sees the same operations in the same order for any thread count.
/// </summary>
internal static unsafe class GemmDriver<TK> where TK : struct, IGemmKernel
{
    /// <summary>Up to this many rows, the row kernels beat packing A into mostly empty MR-row panels.</summary>
    public const int SmallM = 8;

    /// <summary>
    /// Up to this many rows, the blocked path reads B in place (row stride ldb) instead of packing it: each packed
    /// element would be used by too few rows to repay the copy, and a kc×NR strip of B still fits L1.
    /// </summary>
    const int DirectBMaxM = 96;

    /// <summary>
    /// Below this many multiply-adds a second thread costs more to wake than it saves. At 32K (the MLP's 1×256·256×128
    /// layer) two threads still win a little: 54 → 56–58 GFLOPS on Zen 4, with the worker already spinning.
    /// </summary>
    const long ParallelMinMacs = 32 * 1024;

    /// <summary>This width's blocks before any shape (<see cref="GemmBlocking.For"/>), fixed for the process.</summary>
    public static readonly GemmBlocking Blocking = GemmBlocking.For(TK.MR, TK.NR);

    /// <summary>The L2's way (its size over its associativity), which decides where rows of A collide.</summary>
    static readonly long L2WayBytes = CacheTopology.Current.L2.WayBytes;

    public static void Run(GemmProblem* p, int threads)
    {
        // From the shape only, never the split: the K blocks decide the rounding. Pre-packed B brings its own.
        var blocks = Blocking.ForShape(TK.MR, TK.NR, p->M, p->N, p->K);
        p->Mc = blocks.MC;
        p->Nc = blocks.NC;
        if (p->PackedB == null) p->Kc = blocks.KC;
        p->Small = TK.HasRowKernels && p->M <= SmallM;
        // Narrower than one tile, every row would be an edge copy; the blocked path's edge tiles cost less then.
        p->Outer = TK.HasRowKernels && !p->Small && p->K == 1 && p->N >= TK.NR;
        p->DirectB = !p->Small && !p->Outer && !p->TransB && p->PackedB == null && p->M <= DirectBMaxM;
        p->DirectA = !p->Small && !p->Outer && (p->TransA
            ? GemmBlocking.ReadsAInPlace(L2WayBytes, p->Lda, p->Kc, Math.Min(p->Mc, p->M))
            : GemmBlocking.ReadsAInPlace(L2WayBytes, p->Lda, Math.Min(p->Mc, p->M), p->Kc));
        // Packing Bᵀ moves N·K elements; computing Cᵀ moves M·N through the second pass and packs only A (M·K).
        p->TransposedC = TK.HasRowKernels && !p->Small && !p->Outer && !p->TransA && p->TransB && p->PackedB == null
            && p->M < p->K && GemmBlocking.ReadsAInPlace(L2WayBytes, p->Ldb, Math.Min(p->Mc, p->N), p->Kc);
        p->Chunks = 1;
        if (threads > 1 && (long)p->M * p->N * p->K >= ParallelMinMacs)
        {
            // More chunks than threads that can run would only repeat the packing of the shared operand.
            threads = Math.Min(threads, WorkerPool.Shared.WorkerCount + 1);
            int nUnits = (p->N + TK.NR - 1) / TK.NR, mUnits = (p->M + TK.MR - 1) / TK.MR;
            p->SplitN = p->Small || p->TransposedC || (!p->Outer && (nUnits >= 4 * threads || nUnits >= mUnits));
            p->Chunks = Math.Min(threads, p->SplitN ? nUnits : mUnits);
        }
        if (p->Chunks <= 1) Item(p, 0);
        else WorkerPool.Shared.Run(p->Chunks, &Item, p);
    }

    static void Item(void* state, int index)
    {
        GemmProblem* p = (GemmProblem*)state;
        int m0 = 0, m1 = p->M, n0 = 0, n1 = p->N;
        if (p->Chunks > 1)
        {
            int unit = p->SplitN ? TK.NR : TK.MR;
            int units = ((p->SplitN ? p->N : p->M) + unit - 1) / unit;
            int u0 = (int)((long)index * units / p->Chunks), u1 = (int)((long)(index + 1) * units / p->Chunks);
            if (p->SplitN) { n0 = u0 * unit; n1 = Math.Min(p->N, u1 * unit); }
            else { m0 = u0 * unit; m1 = Math.Min(p->M, u1 * unit); }
        }
        if (m0 >= m1 || n0 >= n1) return;
        if (p->Small) Small(p, n0, n1);
        else if (p->Outer) Outer(p, m0, m1, n0, n1);
        else if (p->TransposedC) Transposed(p, n0, n1);
        else Blocked(p, m0, m1, n0, n1);
    }

    /// <summary>
    /// K = 1 (the batch-1 weight gradient xᵀ·δ): C[i, j] = op(A)[i, 0]·op(B)[0, j]. Nothing to accumulate, so no
    /// packing and no tiles: whole rows of C are written in order against the one row of op(B), which stays in L1.
    /// The last partial group of NR columns runs on padded copies, row by row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Outer(GemmProblem* p, int m0, int m1, int n0, int n1)
    {
        int nr = TK.NR;
        var ws = GemmWorkspace.Current;
        // bRow[j] = op(B)[0, j] for j in [n0, n1).
        float* bRow = p->PackedB != null ? p->PackedB : p->B;
        if (p->PackedB == null && p->TransB)
        {
            float* gathered = ws.B(n1 - n0);
            for (int j = n0; j < n1; j++) gathered[j - n0] = p->B[(long)j * p->Ldb];
            bRow = gathered - n0;
        }
        GemmStore store = StoreFor(p, 0, 1);
        int ars = p->TransA ? 1 : p->Lda;
        float* a = p->A + (long)m0 * ars;
        float* c = p->C + (long)m0 * p->Ldc;
        int rows = m1 - m0, full = n0 + (n1 - n0) / nr * nr;
        if (full > n0)
        {
            TK.Outer(rows, a, ars, bRow + n0, full - n0, c + n0, p->Ldc,
                store.WithBias(store.Bias == null ? null : store.Bias + n0));
        }
        if (full < n1)
        {
            int cols = n1 - full;
            float* tile = ws.Tile(3L * nr);
            float* paddedB = tile + nr;
            for (int j = 0; j < nr; j++) paddedB[j] = j < cols ? bRow[full + j] : 0;
            GemmStore edge = store.WithBias(EdgeBias(store.Bias, full, cols, tile + 2 * nr));
            for (int r = 0; r < rows; r++)
            {
                float* cRow = c + (long)r * p->Ldc + full;
                if (store.ReadC) Copy(cRow, 0, tile, 0, 1, cols);
                TK.Outer(1, a + (long)r * ars, ars, paddedB, nr, tile, nr, edge);
                Copy(tile, 0, cRow, 0, 1, cols);
            }
        }
        if (NeedsActivation(p)) Activate(p, c + n0, rows, n1 - n0);
    }

    static GemmStore StoreFor(GemmProblem* p, int pc, int kc)
    {
        bool first = pc == 0, last = pc + kc == p->K;
        return new GemmStore(p->Alpha, first ? p->Beta : 1f, !first || p->Beta != 0,
            last ? p->Bias : null, last && p->Activation == ActivationKind.Relu);
    }

    static bool NeedsActivation(GemmProblem* p) =>
        p->Activation != ActivationKind.Identity && p->Activation != ActivationKind.Relu;

    static void Activate(GemmProblem* p, float* c, int rows, int cols)
    {
        for (int r = 0; r < rows; r++, c += p->Ldc)
        {
            var row = new Span<float>(c, cols);
            Activations.Forward(p->Activation, row, row, p->ActivationAlpha);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Blocked(GemmProblem* p, int m0, int m1, int n0, int n1)
    {
        int mr = TK.MR, nr = TK.NR;
        var ws = GemmWorkspace.Current;
        int kcMax = Math.Min(p->Kc, p->K);
        float* packedA = ws.A((long)Math.Min(p->Mc, (m1 - m0 + mr - 1) / mr * mr) * kcMax);
        float* packedB = p->PackedB != null ? null : ws.B((long)Math.Min(p->Nc, (n1 - n0 + nr - 1) / nr * nr) * kcMax);
        float* tile = ws.Tile(mr * nr);
        float* biasEdge = ws.Scratch(nr);
        bool activate = NeedsActivation(p);
        int ars = p->TransA ? 1 : p->Lda, aks = p->TransA ? p->Lda : 1;

        for (int jc = n0; jc < n1; jc += p->Nc)
        {
            int nc = Math.Min(p->Nc, n1 - jc);
            for (int pc = 0; pc < p->K; pc += p->Kc)
            {
                int kc = Math.Min(p->Kc, p->K - pc);
                float* bBlock = packedB;
                if (p->PackedB != null) bBlock = p->PackedB + (long)pc * p->PackedColumns + (long)jc * kc;
                else if (!p->DirectB) GemmPacking.PackB(nr, p->TransB, p->B, p->Ldb, pc, kc, jc, nc, packedB);
                else if (nc % nr != 0)
                {
                    // Only the partial last panel needs zero padding.
                    GemmPacking.PackB(nr, false, p->B, p->Ldb, pc, kc, jc + nc / nr * nr, nc % nr, packedB);
                }
                GemmStore store = StoreFor(p, pc, kc);
                bool last = pc + kc == p->K;
                for (int ic = m0; ic < m1; ic += p->Mc)
                {
                    int mc = Math.Min(p->Mc, m1 - ic);
                    // Read in place, only a partial last panel is packed (its rows past the matrix must read as zero).
                    int fullRows = p->DirectA ? mc / mr * mr : 0;
                    if (fullRows < mc) GemmPacking.PackA(mr, p->TransA, p->A, p->Lda, ic + fullRows, mc - fullRows, pc, kc, packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bPanel = bBlock + (long)jr * kc;
                        int bs = nr;
                        if (p->DirectB)
                        {
                            if (cols == nr) { bPanel = p->B + (long)pc * p->Ldb + jc + jr; bs = p->Ldb; }
                            else bPanel = packedB;
                        }
                        float* bias = store.Bias == null ? null : store.Bias + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* c = p->C + (long)(ic + ir) * p->Ldc + jc + jr;
                            bool direct = ir < fullRows;
                            float* a = direct ? p->A + (p->TransA ? (long)pc * p->Lda + ic + ir : (long)(ic + ir) * p->Lda + pc)
                                : packedA + (ir - fullRows) * kc;
                            if (cols == nr && rows == mr)
                            {
                                if (direct) TK.TileInPlace(kc, a, ars, aks, bPanel, bs, c, p->Ldc, store.WithBias(bias));
                                else TK.Tile(kc, a, bPanel, bs, c, p->Ldc, store.WithBias(bias));
                            }
                            else
                            {
                                // Edges run the same full tile on a copy, so they round exactly like inner tiles.
                                if (store.ReadC) Copy(c, p->Ldc, tile, nr, rows, cols);
                                GemmStore edge = store.WithBias(EdgeBias(bias, 0, cols, biasEdge));
                                if (direct) TK.TileInPlace(kc, a, ars, aks, bPanel, bs, tile, nr, edge);
                                else TK.Tile(kc, a, bPanel, bs, tile, nr, edge);
                                Copy(tile, nr, c, p->Ldc, rows, cols);
                            }
                            if (last && activate) Activate(p, c, rows, cols);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// op(A) = A, op(B) = Bᵀ, M &lt; K (the data gradient δ·W of a small batch): Cᵀ = B·Aᵀ, with B's rows read in
    /// place as the tile's rows and A packed as its column panels, instead of transposing the larger Bᵀ into panels
    /// (each used by only M/MR tiles). Every element is the same multiply-adds in the same order as on the blocked
    /// path, and its epilogue the same operations. The 8×32 tile transposes itself in registers and writes C
    /// (<see cref="TransposedInTiles"/>); the 6-row tiles of the narrower widths, whose columns of C are no whole
    /// vector, go through a strip of Cᵀ (<see cref="TransposedThroughStrip"/>). Strips of n are a whole number of
    /// tiles and of NR-column pieces (the least common multiple of MR and NR), which the activations need whole.
    /// </summary>
    static void Transposed(GemmProblem* p, int n0, int n1)
    {
        if (TK.HasTransposedTile) TransposedInTiles(p, n0, n1);
        else TransposedThroughStrip(p, n0, n1);
    }

    /// <summary>
    /// Cᵀ = B·Aᵀ by tiles that store C transposed. Edges (the last MR columns of C, the last NR rows) run the same
    /// tile on a copy of C's block, as the blocked path's edge tiles do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void TransposedInTiles(GemmProblem* p, int n0, int n1)
    {
        int mr = TK.MR, nr = TK.NR, m = p->M;
        int strip = Strip, mPad = (m + nr - 1) / nr * nr;
        var ws = GemmWorkspace.Current;
        int kcMax = Math.Min(p->Kc, p->K);
        float* packedA = ws.A((long)mPad * kcMax);
        float* partial = ws.Tile((long)mr * kcMax);
        float* edgeC = ws.Scratch((long)nr * mr + mr), edgeBias = edgeC + nr * mr;
        for (int pc = 0; pc < p->K; pc += p->Kc)
        {
            int kc = Math.Min(p->Kc, p->K - pc);
            GemmPacking.PackB(nr, true, p->A, p->Lda, pc, kc, 0, m, packedA);
            GemmStore store = StoreFor(p, pc, kc);
            bool activate = pc + kc == p->K && NeedsActivation(p);
            for (int ns = n0; ns < n1; ns += strip)
            {
                int width = Math.Min(strip, n1 - ns);
                for (int ir = 0; ir < width; ir += mr)
                {
                    int count = Math.Min(mr, width - ir);
                    // B's rows in place (element (r, p) at b[r·ldb + p]), or a partial last panel packed (at b[p·MR + r]).
                    float* b = p->B + (long)(ns + ir) * p->Ldb + pc;
                    int ars = p->Ldb, aks = 1;
                    if (count < mr)
                    {
                        GemmPacking.PackA(mr, false, p->B, p->Ldb, ns + ir, count, pc, kc, partial);
                        b = partial;
                        ars = 1;
                        aks = mr;
                    }
                    float* bias = store.Bias == null ? null : store.Bias + ns + ir;
                    for (int jr = 0; jr < m; jr += nr)
                    {
                        int rows = Math.Min(nr, m - jr);
                        float* c = p->C + (long)jr * p->Ldc + ns + ir;
                        float* panel = packedA + (long)jr * kc;
                        if (count == mr && rows == nr)
                        {
                            TK.TileTransposed(kc, b, ars, aks, panel, nr, c, p->Ldc, store.WithBias(bias));
                            continue;
                        }
                        if (store.ReadC) Copy(c, p->Ldc, edgeC, mr, rows, count);
                        TK.TileTransposed(kc, b, ars, aks, panel, nr, edgeC, mr,
                            store.WithBias(EdgeBias(bias, 0, count, edgeBias)));
                        Copy(edgeC, mr, c, p->Ldc, rows, count);
                    }
                }
                if (activate)
                {
                    // In NR-column pieces as the blocked path's tiles: the activations' vector tails round apart.
                    for (int jr = 0; jr < width; jr += nr) Activate(p, p->C + ns + jr, m, Math.Min(nr, width - jr));
                }
            }
        }
    }

    /// <summary>
    /// Cᵀ = B·Aᵀ through a strip: the tiles store raw sums into a strip of Cᵀ, which a second pass transposes and
    /// writes through the kernel's own store, so the epilogue rounds as the blocked path's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void TransposedThroughStrip(GemmProblem* p, int n0, int n1)
    {
        int mr = TK.MR, nr = TK.NR, m = p->M;
        int strip = Strip, mPad = (m + nr - 1) / nr * nr;
        var ws = GemmWorkspace.Current;
        int kcMax = Math.Min(p->Kc, p->K);
        float* packedA = ws.A((long)mPad * kcMax);
        float* ct = ws.B((long)strip * mPad);
        float* rows = ws.Scratch((long)mPad * strip + 2L * strip);
        float* edgeBias = rows + (long)mPad * strip, edgeC = edgeBias + strip;
        float* partial = ws.Tile((long)mr * kcMax);
        var raw = new GemmStore(1, 0, false, null, false);
        for (int pc = 0; pc < p->K; pc += p->Kc)
        {
            int kc = Math.Min(p->Kc, p->K - pc);
            GemmPacking.PackB(nr, true, p->A, p->Lda, pc, kc, 0, m, packedA);
            GemmStore store = StoreFor(p, pc, kc);
            bool activate = pc + kc == p->K && NeedsActivation(p);
            for (int ns = n0; ns < n1; ns += strip)
            {
                int width = Math.Min(strip, n1 - ns);
                for (int ir = 0; ir < width; ir += mr)
                {
                    int count = Math.Min(mr, width - ir);
                    float* b = p->B + (long)(ns + ir) * p->Ldb + pc;
                    if (count < mr) GemmPacking.PackA(mr, false, p->B, p->Ldb, ns + ir, count, pc, kc, partial);
                    for (int jr = 0; jr < m; jr += nr)
                    {
                        float* t = ct + (long)ir * mPad + jr;
                        if (count == mr) TK.TileInPlace(kc, b, p->Ldb, 1, packedA + (long)jr * kc, nr, t, mPad, raw);
                        else TK.Tile(kc, partial, packedA + (long)jr * kc, nr, t, mPad, raw);
                    }
                }
                GemmPacking.Transpose(ct, mPad, rows, strip, (width + 3) & ~3, (m + 3) & ~3);
                float* bias = store.Bias == null ? null : store.Bias + ns;
                if (width < strip) bias = EdgeBias(bias, 0, width, edgeBias);
                if (width == strip) TK.StoreRows(rows, strip, strip, m, p->C + ns, p->Ldc, store.WithBias(bias));
                else
                {
                    // The strip past N runs on a padded copy, as the blocked path's edge tiles do.
                    for (int i = 0; i < m; i++)
                    {
                        float* c = p->C + (long)i * p->Ldc + ns;
                        if (store.ReadC) Copy(c, 0, edgeC, 0, 1, width);
                        TK.StoreRows(rows + (long)i * strip, strip, strip, 1, edgeC, strip, store.WithBias(bias));
                        Copy(edgeC, 0, c, 0, 1, width);
                    }
                }
                if (activate)
                {
                    // In NR-column pieces as the blocked path's tiles: the activations' vector tails round apart.
                    for (int jr = 0; jr < width; jr += nr) Activate(p, p->C + ns + jr, m, Math.Min(nr, width - jr));
                }
            }
        }
    }

    /// <summary>The transposed product's strip of n: whole tiles (MR) and whole NR-column pieces.</summary>
    static readonly int Strip = TK.MR * TK.NR / Gcd(TK.MR, TK.NR);

    static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Small(GemmProblem* p, int n0, int n1)
    {
        int nr = TK.NR;
        var ws = GemmWorkspace.Current;
        if (p->PackedB != null)
        {
            for (int pc = 0; pc < p->K; pc += p->Kc)
            {
                int kc = Math.Min(p->Kc, p->K - pc);
                float* panels = p->PackedB + (long)pc * p->PackedColumns + (long)n0 * kc;
                SmallBlock(p, ws, n0, n1, pc, kc, panels, nr, kc * nr, padded: true);
            }
        }
        else if (p->TransB && !p->TransA)
        {
            SmallDots(p, ws, n0, n1);
        }
        else if (p->TransB)
        {
            // Rows of B are columns of op(B): pack them once into K×NR panels so the row kernels stream them.
            float* panels = ws.B((long)p->K * ((n1 - n0 + nr - 1) / nr * nr));
            GemmPacking.PackB(nr, true, p->B, p->Ldb, 0, p->K, n0, n1 - n0, panels);
            SmallBlock(p, ws, n0, n1, 0, p->K, panels, nr, p->K * nr, padded: true);
        }
        else
        {
            SmallBlock(p, ws, n0, n1, 0, p->K, p->B + n0, p->Ldb, nr, padded: false);
        }
    }

    /// <summary>
    /// Columns [n0, n1) of C over K block [pc, pc+kc). Column j of op(B) starts at b + ((j−n0)/NR)·bps + (j−n0)%NR,
    /// step bks per k. Unpadded sources (B in place) have their last partial panel copied to a zero-padded one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SmallBlock(GemmProblem* p, GemmWorkspace ws, int n0, int n1, int pc, int kc,
        float* b, int bks, int bps, bool padded)
    {
        int nr = TK.NR;
        GemmStore store = StoreFor(p, pc, kc);
        bool activate = pc + kc == p->K && NeedsActivation(p);
        int ars = p->TransA ? 1 : p->Lda, aks = p->TransA ? p->Lda : 1;
        for (int i = 0; i < p->M;)
        {
            int rows = p->M - i >= 4 ? 4 : p->M - i >= 2 ? 2 : 1;
            int pairs = 4 / rows;
            float* a = p->A + (long)i * ars + (long)pc * aks;
            float* cRow = p->C + (long)i * p->Ldc;
            int j = n0;
            for (; j + pairs * nr <= n1; j += pairs * nr)
            {
                TK.Rows(rows, pairs, kc, a, ars, aks, b + (j - n0) / nr * bps, bks, bps, cRow + j, p->Ldc,
                    store.WithBias(store.Bias == null ? null : store.Bias + j));
            }
            if (rows == 1 && padded && n1 - j > nr)
                j += WidePanels(p, ws, j, n1 - j, kc, a, ars, aks, b + (j - n0) / nr * bps, bks, bps, cRow, store);
            for (; j + nr <= n1; j += nr)
            {
                TK.Rows(rows, 1, kc, a, ars, aks, b + (j - n0) / nr * bps, bks, bps, cRow + j, p->Ldc,
                    store.WithBias(store.Bias == null ? null : store.Bias + j));
            }
            if (j < n1)
            {
                int cols = n1 - j;
                float* panel = b + (j - n0) / nr * bps;
                int panelStep = bks;
                if (!padded)
                {
                    float* copy = ws.Scratch((long)kc * nr);
                    for (int q = 0; q < kc; q++)
                    {
                        float* src = panel + (long)q * bks, dst = copy + q * nr;
                        int t = 0;
                        for (; t < cols; t++) dst[t] = src[t];
                        for (; t < nr; t++) dst[t] = 0;
                    }
                    panel = copy;
                    panelStep = nr;
                }
                float* tile = ws.Tile(5 * nr);
                if (store.ReadC) Copy(cRow + j, p->Ldc, tile, nr, rows, cols);
                TK.Rows(rows, 1, kc, a, ars, aks, panel, panelStep, 0, tile, nr,
                    store.WithBias(EdgeBias(store.Bias, j, cols, tile + 4 * nr)));
                Copy(tile, nr, cRow + j, p->Ldc, rows, cols);
            }
            if (activate) Activate(p, cRow + n0, rows, n1 - n0);
            i += rows;
        }
    }

    /// <summary>
    /// op(A) = A and op(B) = Bᵀ: rows of A and rows of B are both contiguous along k, so each element is a dot
    /// product streamed straight from both (no packing). Four rows of B meet every row of A in turn, so the four
    /// stay in L1 while A streams past them. The last partial group of four columns runs on copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SmallDots(GemmProblem* p, GemmWorkspace ws, int n0, int n1)
    {
        GemmStore store = StoreFor(p, 0, p->K);
        int k = p->K, m = p->M;
        int j = n0;
        for (; j + 4 <= n1; j += 4)
        {
            float* b = p->B + (long)j * p->Ldb;
            GemmStore s = store.WithBias(store.Bias == null ? null : store.Bias + j);
            for (int i = 0; i < m; i++)
                TK.Dots4(k, p->A + (long)i * p->Lda, b, p->Ldb, p->C + (long)i * p->Ldc + j, s);
        }
        if (j < n1)
        {
            int cols = n1 - j;
            float* rowsB = ws.Scratch(4L * k);
            for (int q = 0; q < 4; q++)
            {
                float* src = p->B + (long)(j + q) * p->Ldb, dst = rowsB + (long)q * k;
                if (q < cols) { for (int t = 0; t < k; t++) dst[t] = src[t]; }
                else { for (int t = 0; t < k; t++) dst[t] = 0; }
            }
            float* tile = ws.Tile(8);
            GemmStore s = store.WithBias(EdgeBias(store.Bias, j, cols, tile + 4));
            for (int i = 0; i < m; i++)
            {
                float* cRow = p->C + (long)i * p->Ldc;
                if (store.ReadC) Copy(cRow + j, 0, tile, 0, 1, cols);
                TK.Dots4(k, p->A + (long)i * p->Lda, rowsB, k, tile, s);
                Copy(tile, 0, cRow + j, 0, 1, cols);
            }
        }
        if (NeedsActivation(p)) Activate(p, p->C + n0, m, n1 - n0);
    }

    /// <summary>
    /// One row against the 2 to 4 zero-padded panels left after the groups of four (the last may be partial), as one
    /// call of four or two pairs, through a tile when the last is partial: a panel at a time kept two sums waiting on
    /// their FMAs (LeNet's 400 → 120 layer at batch 1: three whole panels and one of 24 columns). The sums of each
    /// column are the same as a panel at a time. Returns the columns done (the rest, one panel, runs as before).
    /// </summary>
    static int WidePanels(GemmProblem* p, GemmWorkspace ws, int j, int left, int kc, float* a, int ars, int aks,
        float* b, int bks, int bps, float* cRow, in GemmStore store)
    {
        int nr = TK.NR, panels = (left + nr - 1) / nr, pairs = panels == 4 ? 4 : 2, width = Math.Min(left, pairs * nr);
        if (width == pairs * nr)
        {
            TK.Rows(1, pairs, kc, a, ars, aks, b, bks, bps, cRow + j, p->Ldc, store.WithBias(store.Bias == null ? null : store.Bias + j));
            return width;
        }
        // The tile's columns past width come from the zero padding (and unwritten bias lanes) and are dropped.
        float* tile = ws.Tile(2L * pairs * nr);
        if (store.ReadC) Copy(cRow + j, p->Ldc, tile, pairs * nr, 1, width);
        TK.Rows(1, pairs, kc, a, ars, aks, b, bks, bps, tile, pairs * nr, store.WithBias(EdgeBias(store.Bias, j, width, tile + pairs * nr)));
        Copy(tile, pairs * nr, cRow + j, p->Ldc, 1, width);
        return width;
    }

    /// <summary>
    /// bias[from .. from+cols) copied to <paramref name="dst"/>, whose kernel call is as wide as a full tile (the
    /// columns past cols are discarded with the tile's); null when there is no bias.
    /// </summary>
    static float* EdgeBias(float* bias, int from, int cols, float* dst)
    {
        if (bias == null) return null;
        for (int j = 0; j < cols; j++) dst[j] = bias[from + j];
        return dst;
    }

    static void Copy(float* src, int lds, float* dst, int ldd, int rows, int cols)
    {
        for (int r = 0; r < rows; r++, src += lds, dst += ldd)
        {
            for (int j = 0; j < cols; j++) dst[j] = src[j];
        }
    }
}
