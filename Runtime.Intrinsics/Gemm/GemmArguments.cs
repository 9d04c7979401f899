namespace Simd.Runtime.Intrinsics;

/// <summary>Argument checks shared by the GEMM entry points; messages name what was expected and what came.</summary>
internal static class GemmArguments
{
    public static void Dimensions(int m, int n, int k)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, $"m must be ≥ 0, got {m}.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be ≥ 0, got {n}.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be ≥ 0, got {k}.");
    }

    /// <summary>A rows×cols row-major matrix with leading dimension ld must fit in a span of the given length.</summary>
    public static void Matrix(string name, string ldName, int length, int rows, int cols, int ld)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException(
                $"{ldName} = {ld} is less than the {cols} elements of a row of {name} ({rows}×{cols} as stored); expected {ldName} ≥ {Math.Max(1, cols)}.",
                ldName);
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException(
                $"{name} has {length} elements, expected at least {need} for a {rows}×{cols} matrix with {ldName} = {ld}.",
                name);
    }

    public static void Epilogue(in GemmEpilogue epilogue, int n)
    {
        if (!epilogue.Bias.IsEmpty && epilogue.Bias.Length < n)
            throw new ArgumentException($"bias has {epilogue.Bias.Length} elements, expected at least n = {n}.", nameof(epilogue));
    }
}
