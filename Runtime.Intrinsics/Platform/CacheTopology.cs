using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The data caches of the core the process starts on, read once: Linux's sysfs
/// (<c>/sys/devices/system/cpu/cpu0/cache/index*/</c>), else CPUID's cache leaves on x64 (leaf 4 on Intel,
/// 0x8000001D on AMD), else <see cref="Defaults"/>. A source missing the L1 data or the L2 cache is passed over as a
/// whole, so the blocking never mixes one machine's L1 with another's L2; a missing L3 is left out.
/// </summary>
public sealed class CacheTopology
{
    const string SysfsCaches = "/sys/devices/system/cpu/cpu0/cache";

    static readonly Lazy<CacheTopology> Detected = new(Read);

    public CacheTopology(CacheLevel l1, CacheLevel l2, CacheLevel? l3, string source)
    {
        L1 = l1;
        L2 = l2;
        L3 = l3;
        Source = source;
    }

    /// <summary>
    /// The caches the blocking constants were tuned for before they were derived (AMD Zen 3/4): L1d 32 KiB 8-way,
    /// L2 512 KiB 8-way, L3 32 MiB 16-way, 64-byte lines.
    /// </summary>
    public static CacheTopology Defaults { get; } = new(
        new CacheLevel(1, 32 << 10, 8, 64, 1), new CacheLevel(2, 512 << 10, 8, 64, 1),
        new CacheLevel(3, 32 << 20, 16, 64, 1), "defaults");

    /// <summary>This machine's caches (read on first use).</summary>
    public static CacheTopology Current => Detected.Value;

    /// <summary>The level-1 data cache.</summary>
    public CacheLevel L1 { get; }

    /// <summary>The level-2 (unified or data) cache.</summary>
    public CacheLevel L2 { get; }

    /// <summary>The level-3 cache, or null when the source names none.</summary>
    public CacheLevel? L3 { get; }

    /// <summary>Where the figures came from: <c>sysfs</c>, <c>cpuid</c> or <c>defaults</c>.</summary>
    public string Source { get; }

    /// <summary>e.g. <c>L1d 48 KiB 12-way 64 B, L2 1 MiB 16-way 64 B, L3 32 MiB 16-way 64 B shared by 2 (sysfs)</c>.</summary>
    public override string ToString() => $"{L1}, {L2}{(L3 is CacheLevel l3 ? $", {l3}" : "")} ({Source})";

    static CacheTopology Read()
    {
        try
        {
            return FromSysfs(SysfsCaches) ?? FromCpuid() ?? Defaults;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A sandbox that hides /sys or CPUID still runs, with the defaults' blocking.
            return Defaults;
        }
    }

    /// <summary>
    /// Reads a sysfs-style cache folder: one <c>index*</c> folder per cache, each with <c>level</c>, <c>type</c>
    /// (Data, Instruction, Unified), <c>size</c> (<c>48K</c>, <c>2048K</c>, <c>32M</c>), and optionally
    /// <c>ways_of_associativity</c>, <c>coherency_line_size</c> and <c>shared_cpu_list</c>. Null when the folder
    /// is missing or holds no readable L1 data or L2 cache.
    /// </summary>
    public static CacheTopology? FromSysfs(string cacheDirectory)
    {
        if (!Directory.Exists(cacheDirectory)) return null;
        CacheLevel? l1 = null, l2 = null, l3 = null;
        foreach (string index in Directory.EnumerateDirectories(cacheDirectory, "index*").Order(StringComparer.Ordinal))
        {
            string? type = ReadLine(index, "type");
            if (type is null || type.Equals("Instruction", StringComparison.OrdinalIgnoreCase)) continue;
            if (!int.TryParse(ReadLine(index, "level"), NumberStyles.None, CultureInfo.InvariantCulture, out int level)) continue;
            if (ParseSize(ReadLine(index, "size")) is not long size || size <= 0) continue;
            int line = ParsePositive(ReadLine(index, "coherency_line_size")) ?? 64;
            // 0 ways means fully associative: every line is its own way.
            int ways = int.TryParse(ReadLine(index, "ways_of_associativity"), NumberStyles.None, CultureInfo.InvariantCulture, out int w)
                ? (w > 0 ? w : (int)Math.Max(1, size / line)) : 8;
            int shared = CountCpus(ReadLine(index, "shared_cpu_list")) ?? 1;
            var cache = new CacheLevel(level, size, ways, line, shared);
            if (level == 1) l1 ??= cache;
            else if (level == 2) l2 ??= cache;
            else if (level == 3) l3 ??= cache;
        }
        return l1 is CacheLevel a && l2 is CacheLevel b ? new CacheTopology(a, b, l3, "sysfs") : null;
    }

    /// <summary>CPUID's deterministic cache parameters on x64; null elsewhere or when the leaves are absent.</summary>
    static CacheTopology? FromCpuid()
    {
        if (!X86Base.IsSupported) return null;
        var (_, vendorB, vendorC, vendorD) = X86Base.CpuId(0, 0);
        bool amd = vendorB == 0x68747541 && vendorD == 0x69746E65 && vendorC == 0x444D4163; // "AuthenticAMD"
        uint leaf = 4;
        if (amd)
        {
            // 0x8000001D needs the topology extensions (CPUID 0x80000001 ECX bit 22).
            if ((uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x8000001D) return null;
            if ((X86Base.CpuId(unchecked((int)0x80000001), 0).Ecx & (1 << 22)) == 0) return null;
            leaf = 0x8000001D;
        }
        else if ((uint)X86Base.CpuId(0, 0).Eax < 4) return null;
        var leaves = new List<(uint, uint, uint)>();
        for (int sub = 0; sub < 16; sub++)
        {
            var (eax, ebx, ecx, _) = X86Base.CpuId(unchecked((int)leaf), sub);
            if ((eax & 0x1F) == 0) break;
            leaves.Add(((uint)eax, (uint)ebx, (uint)ecx));
        }
        return FromCpuidLeaves(leaves);
    }

    /// <summary>
    /// Decodes CPUID leaf 4 / 0x8000001D subleaves (EAX, EBX, ECX; the two share the layout): type EAX[4:0]
    /// (1 data, 2 instruction, 3 unified), level EAX[7:5], sharing EAX[25:14]+1, line EBX[11:0]+1, partitions
    /// EBX[21:12]+1, ways EBX[31:22]+1, sets ECX+1.
    /// </summary>
    internal static CacheTopology? FromCpuidLeaves(IEnumerable<(uint Eax, uint Ebx, uint Ecx)> leaves)
    {
        CacheLevel? l1 = null, l2 = null, l3 = null;
        foreach (var (eax, ebx, ecx) in leaves)
        {
            uint type = eax & 0x1F;
            if (type is not (1 or 3)) continue;
            int level = (int)((eax >> 5) & 7);
            int shared = (int)((eax >> 14) & 0xFFF) + 1;
            int line = (int)(ebx & 0xFFF) + 1, partitions = (int)((ebx >> 12) & 0x3FF) + 1, ways = (int)(ebx >> 22) + 1;
            long sets = (long)ecx + 1;
            var cache = new CacheLevel(level, ways * partitions * line * sets, ways, line, shared);
            if (level == 1) l1 ??= cache;
            else if (level == 2) l2 ??= cache;
            else if (level == 3) l3 ??= cache;
        }
        return l1 is CacheLevel a && l2 is CacheLevel b ? new CacheTopology(a, b, l3, "cpuid") : null;
    }

    /// <summary>A sysfs size: bytes, or a number with K, M or G (binary units, as the kernel writes them); null if unreadable.</summary>
    public static long? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string t = text.Trim();
        if (t.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) t = t[..^2];
        else if (t.EndsWith('B') || t.EndsWith('b')) t = t[..^1];
        int shift = 0;
        char last = char.ToUpperInvariant(t.Length > 0 ? t[^1] : ' ');
        if (last is 'K' or 'M' or 'G')
        {
            shift = last == 'K' ? 10 : last == 'M' ? 20 : 30;
            t = t[..^1];
        }
        return long.TryParse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n <= long.MaxValue >> shift
            ? n << shift : null;
    }

    /// <summary>How many CPUs a <c>shared_cpu_list</c> such as <c>0-1</c> or <c>0,2,4-7</c> names; null if unreadable.</summary>
    public static int? CountCpus(string? list)
    {
        if (string.IsNullOrWhiteSpace(list)) return null;
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.TrimEntries))
        {
            string[] ends = part.Split('-');
            if (ends.Length is < 1 or > 2
                || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first) return null;
            count += last - first + 1;
        }
        return count;
    }

    static int? ParsePositive(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : null;

    static string? ReadLine(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
