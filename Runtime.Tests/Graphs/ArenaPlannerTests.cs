using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Graphs;

public sealed class ArenaPlannerTests
{
    private const int AlignmentFloats = 16;

    private static long Padded(long floats) => (floats + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void BuffersAliveAtOnceNeverOverlapAndStartOnACacheLine(int seed)
    {
        var random = new DeterministicRandom(seed);
        var planner = new ArenaPlanner();
        var buffers = new List<(long Length, int Start, int End)>();
        for (int i = 0; i < 200; i++)
        {
            long length = 1 + random.NextInt32(random.NextInt32(4) == 0 ? 5000 : 300);
            int start = random.NextInt32(60), end = start + random.NextInt32(random.NextInt32(3) == 0 ? 40 : 4);
            buffers.Add((length, start, end));
            Assert.Equal(i, planner.Add(length, start, end));
        }
        var (offsets, total) = planner.Plan();
        long peak = 0;
        for (int t = 0; t < 100; t++) peak = Math.Max(peak, buffers.Where(b => b.Start <= t && t <= b.End).Sum(b => Padded(b.Length)));
        Assert.InRange(total, peak, buffers.Sum(b => Padded(b.Length)) - 1);
        for (int i = 0; i < buffers.Count; i++)
        {
            Assert.Equal(0, offsets[i] % AlignmentFloats);
            Assert.InRange(offsets[i] + Padded(buffers[i].Length), 0, total);
            for (int j = i + 1; j < buffers.Count; j++)
            {
                bool together = buffers[i].Start <= buffers[j].End && buffers[j].Start <= buffers[i].End;
                bool apart = offsets[i] + buffers[i].Length <= offsets[j] || offsets[j] + buffers[j].Length <= offsets[i];
                Assert.True(!together || apart, $"buffers {i} {buffers[i]} at {offsets[i]} and {j} {buffers[j]} at {offsets[j]} overlap while both are alive");
            }
        }
    }

    [Fact]
    public void BuffersThatLiveApartShareMemory()
    {
        var planner = new ArenaPlanner();
        planner.Add(100, 0, 1);
        planner.Add(100, 2, 3);
        planner.Add(40, 4, 4);
        planner.Add(17, 1, 2);
        var (offsets, total) = planner.Plan();
        Assert.Equal(0, offsets[0]);
        Assert.Equal(0, offsets[1]);
        Assert.Equal(0, offsets[2]);
        Assert.Equal(112, offsets[3]);   // alive with both of the first two: after them, on a 16-float boundary
        Assert.Equal(112 + 32, total);
    }

    [Fact]
    public void ABufferEndingBeforeItStartsIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ArenaPlanner().Add(4, 3, 2));
        Assert.Equal("A buffer cannot end (2) before it starts (3).", e.Message);
    }

    [Fact]
    public void EveryRegionOfAGraphStartsOnACacheLine()
    {
        using var model = GraphNetworks.Residual(13, 7, 3, maxBatch: 5, dropout: 0.2f);
        foreach (var layout in new[] { ArenaLayout.ForTraining(model.Graph, 5), ArenaLayout.ForInference(model.Graph, 5) })
        {
            Assert.All(layout.ValueOffsets.Where(o => o >= 0), o => Assert.Equal(0, o % AlignmentFloats));
            Assert.All(layout.GradientOffsets.Where(o => o >= 0), o => Assert.Equal(0, o % AlignmentFloats));
            foreach (var node in model.Graph.Nodes)
            {
                for (int s = 0; s < node.Op.ScratchLengths(5, training: layout.GradientOffsets.Any(o => o >= 0)).Length; s++)
                    Assert.Equal(0, layout.Scratch(node.Index, s).Offset % AlignmentFloats);
                for (int j = 0; j < node.Inputs.Count; j++)
                    Assert.True(layout.InputGradientOffset(node.Index, j, graphInputs: true) is var o && (o < 0 || o % AlignmentFloats == 0));
            }
        }
    }

    public static TheoryData<bool> Mlps() => new() { false, true };

    /// <summary>
    /// The chain this runtime replaced gave every layer an output and a gradient of maxBatch × width floats (each
    /// padded to 16), the input and its gradient too, and BatchNorm and Dense their scratch besides. The arena,
    /// which keeps gradients only while backward needs them, must be no larger.
    /// </summary>
    [Theory]
    [MemberData(nameof(Mlps))]
    public void TheDigitsMlpArenaIsNoLargerThanTheChainsBlock(bool shipped)
    {
        const int batch = 32;
        var builder = new ModelBuilder(784);
        if (shipped)
        {
            // As the command line builds it: Dense → BatchNorm → ReLU → Dropout for each hidden layer.
            foreach (int width in new[] { 256, 128 }) builder.Dense(width).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.1f);
        }
        else
        {
            builder.Dense(256, ActivationKind.Relu).Dense(128, ActivationKind.Relu);
        }
        using var model = builder.Dense(10).Build(maxBatch: batch);

        long old = 2 * Padded(batch * 784L);
        foreach (var node in model.Graph.Nodes)
        {
            long width = node.Outputs[0].SampleLength;
            old += 2 * Padded(batch * width);
            if (node.Op is BatchNormOp) old += 4 * Padded(width);
            if (node.Op is DenseOp { FusesIntoEpilogue: false }) old += Padded(batch * width);
        }
        Assert.True(model.ArenaBytes <= old * sizeof(float), $"arena {model.ArenaBytes} bytes, the chain's block {old * sizeof(float)} bytes");
    }
}
