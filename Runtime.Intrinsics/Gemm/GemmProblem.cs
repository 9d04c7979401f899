namespace Simd.Runtime.Intrinsics;

/// <summary>
/// One validated GEMM call as raw pointers (the spans are pinned by the caller for the call's duration), plus how
/// it is split into work items. Lives on the caller's stack; work items read it through a pointer.
/// </summary>
internal unsafe struct GemmProblem
{
    public int M, N, K;
    public float* A;
    public int Lda;
    public bool TransA;
    public float* B;
    public int Ldb;
    public bool TransB;

    /// <summary>Pre-packed B (<see cref="GemmPackedB"/> layout) or null; then <see cref="B"/> is unused.</summary>
    public float* PackedB;
    public int PackedColumns;

    /// <summary>The blocks of this call (<see cref="GemmBlocking.ForShape"/>; Kc is pre-packed B's own when given).</summary>
    public int Mc, Kc, Nc;

    public float* C;
    public int Ldc;
    public float Alpha, Beta;

    /// <summary>bias[0], or null for none.</summary>
    public float* Bias;
    public ActivationKind Activation;
    public float ActivationAlpha;

    // The split, decided once per call from the shape and the thread count only.
    public bool Small;

    /// <summary>Blocked path reads full B panels in place (op(B) = B, few rows of A to amortise packing).</summary>
    public bool DirectB;

    /// <summary>Blocked path reads full MR-row panels of op(A) in place (<see cref="IGemmKernel.TileInPlace"/>).</summary>
    public bool DirectA;

    /// <summary>op(B) = Bᵀ with fewer rows of A than K: Cᵀ = B·Aᵀ is computed instead (<c>GemmDriver.Transposed</c>).</summary>
    public bool TransposedC;

    /// <summary>K = 1: C is an outer product, written row by row (<see cref="IGemmKernel.Outer"/>).</summary>
    public bool Outer;
    public bool SplitN;
    public int Chunks;
}
