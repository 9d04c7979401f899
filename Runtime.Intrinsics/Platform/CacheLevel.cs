using System.Globalization;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// One data (or unified) cache as one core sees it: its size, associativity, line size and how many logical CPUs
/// share it. The GEMM blocking is derived from these (<see cref="GemmBlocking"/>).
/// </summary>
public readonly record struct CacheLevel(int Level, long SizeBytes, int Ways, int LineBytes, int SharedBy)
{
    /// <summary>Sets per way: size / (ways · line).</summary>
    public long Sets => Ways > 0 && LineBytes > 0 ? SizeBytes / ((long)Ways * LineBytes) : 0;

    /// <summary>Bytes of one way (sets · line): the unit the analytical blocking model allots.</summary>
    public long WayBytes => Sets * LineBytes;

    /// <summary>e.g. <c>L1d 48 KiB 12-way 64 B</c>, <c>L3 32 MiB 16-way 64 B shared by 2</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"L{Level}{(Level == 1 ? "d" : "")} {FormatSize(SizeBytes)} {Ways}-way {LineBytes} B{(SharedBy > 1 ? $" shared by {SharedBy}" : "")}");

    internal static string FormatSize(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB")
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
}
