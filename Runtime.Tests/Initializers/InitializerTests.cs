using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Initializers;

public sealed class InitializerTests
{
    public static TheoryData<WeightInitializer, double, bool> Cases() => new()
    {
        // fanIn 200, fanOut 100: bound or standard deviation.
        { WeightInitializer.XavierUniform, Math.Sqrt(6.0 / 300), true },
        { WeightInitializer.XavierNormal, Math.Sqrt(2.0 / 300), false },
        { WeightInitializer.HeUniform, Math.Sqrt(6.0 / 200), true },
        { WeightInitializer.HeNormal, Math.Sqrt(2.0 / 200), false },
        { WeightInitializer.LeCunUniform, Math.Sqrt(3.0 / 200), true },
        { WeightInitializer.LeCunNormal, Math.Sqrt(1.0 / 200), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DistributionHasTheDocumentedScale(WeightInitializer initializer, double scale, bool uniform)
    {
        var w = new float[200 * 100];
        WeightInitialization.Fill(initializer, w, 200, 100, new DeterministicRandom(1));
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (double)v * v) - mean * mean);
        // 20,000 samples: the sample deviation is within ~1% of the true one; 3% leaves room.
        double expectedStd = uniform ? scale / Math.Sqrt(3) : scale;
        Assert.Equal(expectedStd, std, expectedStd * 0.03);
        Assert.True(Math.Abs(mean) < expectedStd * 0.03, $"mean {mean}");
        if (uniform) Assert.All(w, v => Assert.True(Math.Abs(v) <= scale));
    }

    [Fact]
    public void DefaultFollowsTheActivation()
    {
        Assert.Equal(WeightInitializer.HeUniform, WeightInitialization.Resolve(WeightInitializer.Default, ActivationKind.Relu));
        Assert.Equal(WeightInitializer.LeCunNormal, WeightInitialization.Resolve(WeightInitializer.Default, ActivationKind.Selu));
        Assert.Equal(WeightInitializer.XavierUniform, WeightInitialization.Resolve(WeightInitializer.Default, ActivationKind.Tanh));
        Assert.Equal(WeightInitializer.HeNormal, WeightInitialization.Resolve(WeightInitializer.HeNormal, ActivationKind.Tanh));
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        static float[] Weights(long seed)
        {
            using var m = new ModelBuilder(10).Dense(20, ActivationKind.Relu).Dense(5).Build(seed);
            return m.Parameters.Parameters.ToArray();
        }
        Assert.Equal(Weights(3), Weights(3));
        Assert.NotEqual(Weights(3), Weights(4));
    }

    [Fact]
    public void RandomStateRoundTripsAndSequenceIsFixed()
    {
        var a = new DeterministicRandom(42);
        a.NextUInt64();
        Span<ulong> state = stackalloc ulong[DeterministicRandom.StateLength];
        a.GetState(state);
        var expected = Enumerable.Range(0, 5).Select(_ => a.NextUInt64()).ToArray();
        var b = new DeterministicRandom(0);
        b.SetState(state);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(new DeterministicRandom(42, 1).NextUInt64(), new DeterministicRandom(42, 0).NextUInt64());
        Assert.Throws<ArgumentException>(() => b.SetState(new ulong[4]));
    }

    [Fact]
    public void BoundedIntegersAndShuffleCoverTheRange()
    {
        var r = new DeterministicRandom(9);
        var counts = new int[7];
        for (int i = 0; i < 7000; i++) counts[r.NextInt32(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        var perm = Enumerable.Range(0, 50).ToArray();
        r.Shuffle(perm);
        Assert.Equal(Enumerable.Range(0, 50), perm.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), perm);
    }
}
