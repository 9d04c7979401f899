using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>The cache reader on sysfs-like folders built here: units, missing files, absent levels.</summary>
public sealed class CacheTopologyTests : IDisposable
{
    readonly TempDirectory _root = new("simd-caches-");

    public void Dispose() => _root.Dispose();

    void Index(int i, params (string File, string Text)[] files)
    {
        string dir = _root.PathOf($"index{i}");
        Directory.CreateDirectory(dir);
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(dir, file), text + "\n");
    }

    void Cache(int i, int level, string type, string size, string ways = "8", string line = "64", string shared = "0")
    {
        Index(i, ("level", level.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("type", type),
            ("size", size), ("ways_of_associativity", ways), ("coherency_line_size", line), ("shared_cpu_list", shared));
    }

    [Fact]
    public void ReadsEveryLevelWithItsUnits()
    {
        Cache(0, 1, "Data", "48K", ways: "12");
        Cache(1, 1, "Instruction", "32K");
        Cache(2, 2, "Unified", "2048K", ways: "16");
        Cache(3, 3, "Unified", "32M", ways: "16", shared: "0-1");
        var t = CacheTopology.FromSysfs(_root.Path)!;
        Assert.Equal(new CacheLevel(1, 48 << 10, 12, 64, 1), t.L1);
        Assert.Equal(new CacheLevel(2, 2 << 20, 16, 64, 1), t.L2);
        Assert.Equal(new CacheLevel(3, 32 << 20, 16, 64, 2), t.L3);
        Assert.Equal("sysfs", t.Source);
        Assert.Equal(64, t.L1.Sets);
        Assert.Equal(4096, t.L1.WayBytes);
        Assert.Equal("L1d 48 KiB 12-way 64 B, L2 2 MiB 16-way 64 B, L3 32 MiB 16-way 64 B shared by 2 (sysfs)", t.ToString());
    }

    [Fact]
    public void MissingOptionalFilesTakeDefaultsAndNoL3IsAllowed()
    {
        Index(0, ("level", "1"), ("type", "Data"), ("size", "32K"));
        Index(1, ("level", "2"), ("type", "Unified"), ("size", "512K"), ("ways_of_associativity", "0"));
        var t = CacheTopology.FromSysfs(_root.Path)!;
        Assert.Equal(new CacheLevel(1, 32 << 10, 8, 64, 1), t.L1);
        // 0 ways is fully associative: one set.
        Assert.Equal(1, t.L2.Sets);
        Assert.Null(t.L3);
    }

    [Fact]
    public void AbsentOrUnreadableLevelsMeanNoResult()
    {
        Assert.Null(CacheTopology.FromSysfs(_root.PathOf("missing")));
        Cache(0, 1, "Data", "48K");
        Assert.Null(CacheTopology.FromSysfs(_root.Path)); // no L2
        Cache(1, 2, "Unified", "lots");
        Assert.Null(CacheTopology.FromSysfs(_root.Path)); // an L2 whose size cannot be read
        Index(2, ("level", "2"), ("type", "Unified"));
        Assert.Null(CacheTopology.FromSysfs(_root.Path)); // no size at all
    }

    [Theory]
    [InlineData("48K", 48L << 10)]
    [InlineData("2048K", 2048L << 10)]
    [InlineData("32M", 32L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512", 512L)]
    [InlineData(" 64KiB ", 64L << 10)]
    [InlineData("32k", 32L << 10)]
    public void ParsesSizes(string text, long bytes) => Assert.Equal(bytes, CacheTopology.ParseSize(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-4K")]
    [InlineData("4T")]
    [InlineData("1.5M")]
    public void RejectsOddSizes(string? text) => Assert.Null(CacheTopology.ParseSize(text));

    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1", 2)]
    [InlineData("0,2,4-7", 6)]
    [InlineData("3-1", null)]
    [InlineData("x", null)]
    public void CountsSharingCpus(string list, int? count) => Assert.Equal(count, CacheTopology.CountCpus(list));

    [Fact]
    public void DecodesCpuidLeaves()
    {
        // Zen 5: L1d 48 KiB 12-way (64 sets), L1i skipped, L2 1 MiB 16-way, L3 32 MiB 16-way shared by 16.
        static (uint, uint, uint) Leaf(uint type, uint level, uint sharing, uint ways, uint sets) =>
            (type | level << 5 | (sharing - 1) << 14, 63u | (ways - 1) << 22, sets - 1);
        var t = CacheTopology.FromCpuidLeaves([
            Leaf(1, 1, 1, 12, 64), Leaf(2, 1, 1, 8, 64), Leaf(3, 2, 1, 16, 1024), Leaf(3, 3, 16, 16, 32768)])!;
        Assert.Equal(new CacheLevel(1, 48 << 10, 12, 64, 1), t.L1);
        Assert.Equal(new CacheLevel(2, 1 << 20, 16, 64, 1), t.L2);
        Assert.Equal(new CacheLevel(3, 32 << 20, 16, 64, 16), t.L3);
        Assert.Null(CacheTopology.FromCpuidLeaves([Leaf(1, 1, 1, 12, 64)]));
    }

    [Fact]
    public void ThisMachineHasUsableCaches()
    {
        var t = CacheTopology.Current;
        Assert.True(t.L1.SizeBytes >= 4096 && t.L1.WayBytes > 0, t.ToString());
        Assert.True(t.L2.SizeBytes >= t.L1.SizeBytes, t.ToString());
    }
}
