using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>The blocking model's properties over a range of caches and tiles, the shape fitting and the override.</summary>
public class GemmBlockingTests
{
    static readonly (int MR, int NR)[] Tiles = [(8, 32), (6, 16), (6, 8), (4, 4)];

    static CacheTopology Caches(int l1Kib, int l1Ways, int l2Kib, int l2Ways, int? l3Mib, int shared = 1) => new(
        new CacheLevel(1, l1Kib << 10, l1Ways, 64, 1), new CacheLevel(2, (long)l2Kib << 10, l2Ways, 64, 1),
        l3Mib is int m ? new CacheLevel(3, (long)m << 20, 16, 64, shared) : null, "test");

    public static TheoryData<int, int, int, int, int?> Machines => new()
    {
        { 32, 8, 512, 8, 32 },     // Zen 3
        { 32, 8, 1024, 8, 32 },    // Zen 4
        { 48, 12, 1024, 16, 32 },  // Zen 5
        { 48, 12, 2048, 16, 320 }, // Emerald Rapids
        { 64, 4, 4096, 16, null }, // Apple-like: no L3
        { 16, 4, 256, 8, 4 },      // small
    };

    [Theory]
    [MemberData(nameof(Machines))]
    public void DerivedBlocksHaveTheModelsProperties(int l1, int w1, int l2, int w2, int? l3)
    {
        var caches = Caches(l1, w1, l2, w2, l3);
        foreach (var (mr, nr) in Tiles)
        {
            var b = GemmBlocking.Derive(caches, mr, nr);
            Assert.Equal(0, b.MC % mr);
            Assert.Equal(0, b.NC % nr);
            Assert.Equal(0, b.KC % GemmBlocking.KStep);
            Assert.InRange(b.KC, GemmBlocking.MinKC, GemmBlocking.MaxKC);
            Assert.InRange(b.MC, mr, GemmBlocking.MaxMC);
            Assert.InRange(b.NC, nr, GemmBlocking.MaxNC);
            // Above the clamp's floor, the B micro-panel leaves A's share of L1 and one way for C.
            if (b.KC > GemmBlocking.MinKC)
            {
                Assert.True((long)b.KC * nr * 4 <= caches.L1.SizeBytes - caches.L1.WayBytes, $"{mr}x{nr} {b}");
                Assert.True((long)b.KC * (mr + nr) * 4 <= caches.L1.SizeBytes - caches.L1.WayBytes, $"{mr}x{nr} {b}");
            }
            // The packed A block stays within L2.
            if (b.MC > mr) Assert.True((long)b.MC * b.KC * 4 <= caches.L2.SizeBytes, $"{mr}x{nr} {b}");
        }
    }

    [Fact]
    public void Zen5AndEmeraldRapidsBlocks()
    {
        Assert.Equal(new GemmBlocking(896, 256, 8192), GemmBlocking.Derive(Caches(48, 12, 1024, 16, 32, shared: 2), 8, 32));
        // A larger L2 gives larger A blocks, capped; the same L1 the same depth.
        var emerald = GemmBlocking.Derive(Caches(48, 12, 2048, 16, 320, shared: 40), 8, 32);
        Assert.Equal((1024, 256), (emerald.MC, emerald.KC));
        // The caches the constants were tuned on before.
        Assert.Equal(256, GemmBlocking.Derive(CacheTopology.Defaults, 6, 16).KC);
    }

    [Fact]
    public void LargerL1GivesDeeperBlocks()
    {
        var small = GemmBlocking.Derive(Caches(32, 8, 1024, 8, 32), 6, 16);
        var large = GemmBlocking.Derive(Caches(48, 12, 1024, 8, 32), 6, 16);
        Assert.True(large.KC > small.KC, $"{small} vs {large}");
    }

    [Theory]
    [InlineData(784, 256, 208)]  // four even blocks, not 256·3 + 16
    [InlineData(512, 256, 256)]
    [InlineData(100, 256, 112)]  // one block, rounded up to the K step (the driver stops at K)
    [InlineData(2048, 512, 512)]
    [InlineData(1100, 1024, 560)]
    [InlineData(1, 256, 16)]
    public void KBlocksAreEvenAndNeverLargerThanKC(int k, int kc, int expected)
    {
        var b = new GemmBlocking(144, kc, 4096);
        Assert.Equal(expected, b.KFor(k));
        Assert.True(b.KFor(k) <= Math.Max(kc, GemmBlocking.KStep));
        Assert.Equal(expected, b.ForShape(8, 32, 64, 64, k).KC);
        Assert.True(b.KForPacked(k) >= b.KFor(k) && b.KForPacked(k) <= Math.Max(GemmBlocking.MaxKC, kc));
    }

    [Fact]
    public void RowAndColumnBlocksFitTheShape()
    {
        var b = new GemmBlocking(896, 256, 8192);
        var small = b.ForShape(8, 32, 32, 100, 784);
        Assert.Equal(32, small.MC);
        Assert.Equal(128, small.NC);
        var large = b.ForShape(8, 32, 1000, 9000, 64);
        Assert.Equal(504, large.MC);   // two even blocks of whole tiles
        Assert.Equal(4512, large.NC);
        Assert.Equal(0, large.MC % 8);
        Assert.Equal(0, large.NC % 32);
    }

    [Fact]
    public void OverrideParses()
    {
        var (blocking, error) = GemmBlocking.Parse(" 144, 512 ,4064");
        Assert.Null(error);
        Assert.Equal(new GemmBlocking(144, 512, 4064), blocking);
        Assert.Equal(blocking, blocking!.Value.FitTo(8, 32));
        Assert.Equal(new GemmBlocking(144, 100, 4080), new GemmBlocking(143, 100, 4065).FitTo(6, 16));
        Assert.Equal((null, null), GemmBlocking.Parse(null));
        Assert.Equal((null, null), GemmBlocking.Parse("  "));
    }

    [Theory]
    [InlineData("144,512", "SIMD_GEMM_BLOCKING='144,512' has 2 values; expected three, MC,KC,NC")]
    [InlineData("144", "has 1 value;")]
    [InlineData("144,0,4064", "KC '0' is not a whole number from 1 to 65536")]
    [InlineData("144,512,big", "NC 'big' is not a whole number")]
    [InlineData("-1,512,4064", "MC '-1' is not a whole number")]
    [InlineData("144,512,4064,1", "has 4 values")]
    [InlineData("144,99999,4064", "KC '99999'")]
    public void OverrideErrorsNameTheVariableAndTheValue(string value, string expected)
    {
        var (blocking, error) = GemmBlocking.Parse(value);
        Assert.Null(blocking);
        Assert.Contains(expected, error);
        Assert.StartsWith($"SIMD_GEMM_BLOCKING='{value}'", error);
    }

    [Fact]
    public void DescribeNamesTheBlocksOfEveryWidth()
    {
        foreach (var width in GemmCase.Widths)
        {
            var (_, blocking) = Gemm.Blocking(width);
            Assert.Contains(blocking.ToString(), Gemm.Describe(width));
        }
    }
}
