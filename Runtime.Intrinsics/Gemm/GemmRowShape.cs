namespace Simd.Runtime.Intrinsics;

/// <summary>A row kernel's or register tile's shape as JIT-time constants: rows of A × pairs of B vectors.</summary>
internal interface IGemmRowShape
{
    static abstract int Rows { get; }
    static abstract int Pairs { get; }

    /// <summary>Whether the register tile (8×32 only) holds Cᵀ and stores it transposed into C.</summary>
    static virtual bool TransposedC => false;
}

internal readonly struct GemmRowShape1x4 : IGemmRowShape { public static int Rows => 1; public static int Pairs => 4; }
internal readonly struct GemmRowShape2x2 : IGemmRowShape { public static int Rows => 2; public static int Pairs => 2; }
internal readonly struct GemmRowShape1x2 : IGemmRowShape { public static int Rows => 1; public static int Pairs => 2; }
internal readonly struct GemmRowShape1x1 : IGemmRowShape { public static int Rows => 1; public static int Pairs => 1; }
internal readonly struct GemmRowShape2x1 : IGemmRowShape { public static int Rows => 2; public static int Pairs => 1; }
internal readonly struct GemmRowShape4x1 : IGemmRowShape { public static int Rows => 4; public static int Pairs => 1; }
internal readonly struct GemmRowShape6x1 : IGemmRowShape { public static int Rows => 6; public static int Pairs => 1; }
internal readonly struct GemmRowShape8x1 : IGemmRowShape { public static int Rows => 8; public static int Pairs => 1; }

/// <summary>The 8×32 tile of Cᵀ = B·Aᵀ, written to C through <see cref="GemmTransposedStore"/>.</summary>
internal readonly struct GemmRowShape8x1TransposedC : IGemmRowShape
{
    public static int Rows => 8;
    public static int Pairs => 1;
    public static bool TransposedC => true;
}
