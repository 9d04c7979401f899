using System.Globalization;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The cache blocks of the blocked GEMM for one micro-kernel (MR×NR): KC, the depth of a K block; MC, the rows of A
/// packed at once; NC, the columns of B packed at once. Derived from the caches the way BLIS's analytical model does
/// (Low et al., "Analytical modeling is enough for high-performance BLIS", 2016), then fitted to each call's shape
/// (<see cref="ForShape"/>). <see cref="Variable"/> replaces the derived blocks for experiments.
/// </summary>
internal readonly record struct GemmBlocking(int MC, int KC, int NC)
{
    /// <summary>Environment variable that replaces the derived blocks at every width: <c>MC,KC,NC</c>.</summary>
    public const string Variable = "SIMD_GEMM_BLOCKING";

    /// <summary>KC stays a multiple of this: the micro-kernel's loop is unrolled by four, packing moves 4×4 blocks.</summary>
    internal const int KStep = 16;

    internal const int MinKC = 256, MaxKC = 1024, MaxMC = 1024, MaxNC = 8192, MaxOverride = 1 << 16;

    // Read once, like SIMD_WIDTH: a bad value must not fail type initialisation; it is reported through
    // Isa.ConfigurationError instead, and until then the derived blocks run.
    static readonly (GemmBlocking? Blocking, string? Error) FromEnvironment = Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Why <see cref="Variable"/> cannot be used, or null when it is unset or valid.</summary>
    public static string? ConfigurationError => FromEnvironment.Error;

    /// <summary>The override, when <see cref="Variable"/> holds a valid one.</summary>
    public static GemmBlocking? Override => FromEnvironment.Blocking;

    /// <summary>
    /// The blocks for an MR×NR micro-kernel on these caches, before any shape is known:
    /// <list type="bullet">
    /// <item>KC: the B micro-panel (KC×NR) stays in L1 while A's MR×KC micro-panels stream through it. Of the L1's W
    /// ways one is left to C, and the rest shared in proportion MR : NR, so A gets C_A = ⌊(W − 1)/(1 + NR/MR)⌋ ways
    /// and KC = C_A·(way bytes)/(MR·4). Narrow tiles (scalar, 128-bit) also meet B's bound: KC·NR·4 ≤ (W − 1 − C_A) ways.</item>
    /// <item>MC: the packed A block (MC×KC) stays in L2 beside one B micro-panel and C's lines: W₂ − 1 ways, less
    /// the ways of the B micro-panel.</item>
    /// <item>NC: the packed B block (KC×NC) stays in this core's share of L3 beside the A block (or in L2's
    /// remainder without an L3).</item>
    /// </list>
    /// Clamps: KC in [256, 1024] and a multiple of 16; MC in [MR, 1024] a multiple of MR; NC in [NR, 8192] a
    /// multiple of NR. The floor of 256: on a 32 KiB 8-way L1 the model gives the 8×32 tile 128, but that tile
    /// takes B at 16 bytes a cycle, which L2 sustains, while every K block costs a pass over C; 256–512 measured
    /// fastest on Zen 4 and Zen 5 alike.
    /// </summary>
    public static GemmBlocking Derive(CacheTopology caches, int mr, int nr)
    {
        const int Float = sizeof(float);
        CacheLevel l1 = caches.L1, l2 = caches.L2;

        int ways1 = Math.Max(2, l1.Ways);
        int waysA = Math.Max(1, (int)((ways1 - 1) / (1 + (double)nr / mr)));
        long kc = waysA * l1.WayBytes / (mr * Float);
        long waysB = ways1 - 1 - waysA;
        kc = Math.Min(kc, Math.Max(1, waysB) * l1.WayBytes / (nr * Float));
        kc = Math.Clamp(kc / KStep * KStep, MinKC, MaxKC);

        long way2 = Math.Max(1, l2.WayBytes);
        long bWays2 = (kc * nr * Float + way2 - 1) / way2;
        long aBytes = Math.Max(1, l2.Ways - 1 - bWays2) * way2;
        long mc = Math.Clamp(aBytes / (kc * Float) / mr * mr, mr, MaxMC / mr * mr);

        long bBytes;
        if (caches.L3 is CacheLevel l3)
        {
            long way3 = Math.Max(1, l3.WayBytes);
            long aWays3 = (mc * kc * Float + way3 - 1) / way3;
            bBytes = Math.Max(1, l3.Ways - 1 - aWays3) * way3 / Math.Max(1, l3.SharedBy);
        }
        else
        {
            bBytes = Math.Max(way2, l2.SizeBytes - mc * kc * Float);
        }
        long nc = Math.Clamp(bBytes / (kc * Float) / nr * nr, nr, MaxNC / nr * nr);
        return new GemmBlocking((int)mc, (int)kc, (int)nc);
    }

    /// <summary>
    /// The blocks one call runs with. KC: K itself when it fits one block, else K split into equal blocks (a
    /// multiple of 16), so no thin last block pays a full pass over C; KC depends on K only (and never on the split
    /// into threads), so every element of C sees the same sums in the same order. MC and NC likewise: the rows
    /// (columns) in equal blocks of at most MC (NC), whole tiles each.
    /// </summary>
    public GemmBlocking ForShape(int mr, int nr, int m, int n, int k) =>
        new(Even(m, MC, mr), KFor(k), Even(n, NC, nr));

    /// <summary>The K block of a call with this K.</summary>
    public int KFor(int k) => Even(k, KC, KStep);

    /// <summary>
    /// The K block of weights packed once (<see cref="GemmPackedB"/>): up to 1024 (or KC, if larger), split evenly.
    /// Every K block is one more pass over C, which the model does not count; the packed weights serve the
    /// unpacked-A row kernels of batches up to 8, where a K block buys nothing, and the blocked path of larger
    /// batches, where the MLP's 784-deep layer measured faster in one block than in four of 208 (batch 256: 562–566k
    /// against 553–556k samples/s; batch 1 on two threads: 3.4 against 3.8–4.0 µs; Zen 5).
    /// </summary>
    public int KForPacked(int k) => Even(k, Math.Max(KC, MaxKC), KStep);

    /// <summary>
    /// Whether the blocked path reads op(A) in place instead of packing it: <paramref name="rows"/> rows of
    /// <paramref name="span"/> floats each, <paramref name="lda"/> floats apart (a block of rows of A: MC rows of KC;
    /// of a transposed A: KC rows of MC). Packing repays its pass only when the rows would collide in L2: rows whose
    /// stride shares a large power of two with the L2's way (<paramref name="l2WayBytes"/>) start in the same few
    /// sets, and when their spans do not cover the gap between those starts, the block lives in a fraction of L2
    /// (2048² floats: rows 8 KiB apart, 1 KiB spans, 1/8 of a 64 KiB way) and is fetched again for every B panel.
    /// Otherwise the copy is pure cost (a twentieth of a 256×784·784×256 product).
    /// </summary>
    public static bool ReadsAInPlace(long l2WayBytes, int lda, int rows, int span)
    {
        const int Float = sizeof(float);
        long way = Math.Max(Float, l2WayBytes), gap = Gcd((long)lda * Float, way);
        return gap <= (long)span * Float || rows <= way / gap;
    }

    static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    static int Even(int extent, int block, int step)
    {
        if (extent <= block) return Math.Max(step, (extent + step - 1) / step * step);
        int blocks = (extent + block - 1) / block;
        int even = (extent + blocks - 1) / blocks;
        return Math.Min(block, (even + step - 1) / step * step);
    }

    /// <summary>The override's blocks at one micro-kernel: MC and NC rounded up to whole tiles.</summary>
    public GemmBlocking FitTo(int mr, int nr) =>
        new((MC + mr - 1) / mr * mr, KC, (NC + nr - 1) / nr * nr);

    /// <summary>Parses <c>MC,KC,NC</c> (three positive whole numbers); null blocking and null error when unset.</summary>
    internal static (GemmBlocking? Blocking, string? Error) Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (null, null);
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
            return (null, $"{Variable}='{value}' has {parts.Length} value{(parts.Length == 1 ? "" : "s")}; expected three, MC,KC,NC, e.g. 144,512,4064 (or leave it unset for the blocking derived from the caches).");
        string[] names = ["MC", "KC", "NC"];
        var sizes = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > MaxOverride)
                return (null, $"{Variable}='{value}': {names[i]} '{parts[i]}' is not a whole number from 1 to {MaxOverride}; expected MC,KC,NC, e.g. 144,512,4064.");
        }
        return (new GemmBlocking(sizes[0], sizes[1], sizes[2]), null);
    }

    /// <summary>What a width runs with: the override fitted to its tile, else the blocks derived from <see cref="CacheTopology.Current"/>.</summary>
    public static GemmBlocking For(int mr, int nr) =>
        Override is GemmBlocking o ? o.FitTo(mr, nr) : Derive(CacheTopology.Current, mr, nr);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MC={MC} KC={KC} NC={NC}");
}
