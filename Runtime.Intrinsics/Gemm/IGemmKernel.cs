namespace Simd.Runtime.Intrinsics;

/// <summary>
/// What the blocked GEMM loops need from one instruction-set width: its register tile, the
/// MR×NR micro-kernel on packed panels and the row kernels of the unpacked small-M path.
/// </summary>
internal unsafe interface IGemmKernel
{
    static abstract SimdWidth Width { get; }

    /// <summary>Rows of the register tile (A panel height).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (B panel width); two vectors for the vector widths.</summary>
    static abstract int NR { get; }

    /// <summary>Whether <see cref="Rows"/> exists (the vector widths); otherwise small M uses the blocked path.</summary>
    static abstract bool HasRowKernels { get; }

    /// <summary>
    /// One full MR×NR tile: acc = Σ_p a[p·MR + r]·b[p·bs + j] over kc steps of a packed A panel and a B panel
    /// (packed: bs = NR; or B read in place: bs = ldb), written to c per <paramref name="store"/>.
    /// </summary>
    static abstract void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store);

    /// <summary>
    /// <see cref="Tile"/> on A read in place, element (r, p) at a[r·ars + p·aks]: rows of A as stored (ars = lda,
    /// aks = 1) or a transposed A's columns (ars = 1, aks = lda). Same operations in the same order as on a packed panel.
    /// </summary>
    static abstract void TileInPlace(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store);

    /// <summary>Whether <see cref="TileTransposed"/> exists (the 8×32 tile); otherwise Cᵀ goes through a strip.</summary>
    static abstract bool HasTransposedTile { get; }

    /// <summary>
    /// <see cref="TileInPlace"/> computing a tile of Cᵀ (row r of the tile is column r of C) and writing it to C
    /// transposed: element (r, j) to c[j·ldc + r], per <paramref name="store"/> (its bias indexed by r).
    /// </summary>
    static abstract void TileTransposed(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store);

    /// <summary>
    /// rows rows of c[0..n) (ldc apart) written from n (a multiple of NR) accumulators acc[0..n) (lda apart) per
    /// <paramref name="store"/>, exactly as <see cref="Tile"/> writes a row of its tile (the transposed product's
    /// second pass).
    /// </summary>
    static abstract void StoreRows(float* acc, int lda, int n, int rows, float* c, int ldc, in GemmStore store);

    /// <summary>
    /// c[q] = Σ_p a[p]·b[q·ldb + p] for q &lt; 4: one row of A against four rows of B, both contiguous along k (the
    /// small-M path when op(B) = Bᵀ).
    /// </summary>
    static abstract void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store);

    /// <summary>
    /// The K = 1 product (an outer product, the batch-1 weight gradient): row r of C, columns 0..n (a multiple of
    /// NR), is a[r·ars]·b[j], written per <paramref name="store"/> exactly as a one-step <see cref="Tile"/> writes it.
    /// </summary>
    static abstract void Outer(int rows, float* a, int ars, float* b, int n, float* c, int ldc, in GemmStore store);

    /// <summary>
    /// rows (1, 2 or 4) rows of A read in place (element (r, p) at a[r·ars + p·aks]) times pairs (1..4, rows·pairs ≤ 4)
    /// NR-column panels of B (element (p, q·NR + j) at b[q·bps + p·bks + j]), written to c per <paramref name="store"/>.
    /// </summary>
    static abstract void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store);
}
