using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

public sealed class SplitAndScalingTests
{
    /// <summary>Classes of 50, 30 and 20 samples; feature 0 holds the sample index so tests can trace samples.</summary>
    private static Dataset Unbalanced()
    {
        int[] labels = [.. Enumerable.Repeat(0, 50), .. Enumerable.Repeat(1, 30), .. Enumerable.Repeat(2, 20)];
        var features = new float[labels.Length * 2];
        for (int i = 0; i < labels.Length; i++)
        {
            features[2 * i] = i;
            features[2 * i + 1] = labels[i] * 10;
        }
        return new Dataset("unbalanced", features, 2, labels, 3);
    }

    [Fact]
    public void SplitKeepsEachClassShare()
    {
        DatasetSplit split = StratifiedSplitter.Split(Unbalanced(), 0.2, seed: 1);

        Assert.Equal(80, split.Train.Count);
        Assert.Equal(20, split.Test.Count);
        Assert.Equal(10, split.Test.Labels!.Count(l => l == 0));
        Assert.Equal(6, split.Test.Labels!.Count(l => l == 1));
        Assert.Equal(4, split.Test.Labels!.Count(l => l == 2));
    }

    [Fact]
    public void SplitIsADisjointCoverWithLabelsFollowingTheirSamples()
    {
        DatasetSplit split = StratifiedSplitter.Split(Unbalanced(), 0.3, seed: 5);

        var ids = new List<int>();
        foreach (Dataset part in new[] { split.Train, split.Test })
        {
            for (int i = 0; i < part.Count; i++)
            {
                ids.Add((int)part.Sample(i)[0]);
                Assert.Equal(part.Labels![i] * 10, part.Sample(i)[1]);
            }
        }
        Assert.Equal(Enumerable.Range(0, 100), ids.Order());
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        Dataset d = Unbalanced();
        DatasetSplit a = StratifiedSplitter.Split(d, 0.25, seed: 42);
        DatasetSplit b = StratifiedSplitter.Split(d, 0.25, seed: 42);
        DatasetSplit c = StratifiedSplitter.Split(d, 0.25, seed: 43);

        Assert.Equal(a.Train.Features, b.Train.Features);
        Assert.Equal(a.Test.Features, b.Test.Features);
        Assert.NotEqual(a.Test.Features, c.Test.Features);
    }

    [Fact]
    public void PartsAreNotSortedByClass()
    {
        DatasetSplit split = StratifiedSplitter.Split(Unbalanced(), 0.2, seed: 3);

        Assert.NotEqual(split.Train.Labels!.Order(), split.Train.Labels!);
    }

    [Fact]
    public void BinaryTargetsAreStratified()
    {
        float[] targets = [.. Enumerable.Repeat(0f, 40), .. Enumerable.Repeat(1f, 60)];
        var d = new Dataset("binary", new float[100], 1, targets, 1);

        DatasetSplit split = StratifiedSplitter.Split(d, 0.1, seed: 9);

        Assert.Equal(10, split.Test.Count);
        Assert.Equal(6, split.Test.Targets!.Count(t => t == 1f));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void FractionOutsideTheOpenIntervalIsRejected(double fraction)
    {
        var e = Assert.Throws<ArgumentException>(() => StratifiedSplitter.Split(Unbalanced(), fraction, 1));
        Assert.DoesNotContain("Parameter", e.Message);
    }

    [Fact]
    public void StandardizeFitsTrainStatisticsAndAppliesThemElsewhere()
    {
        var train = new Dataset("train", [1, 5, 3, 5, 5, 5], 2, [0, 1, 0], 2);
        var test = new Dataset("test", [7, 4], 2, [1], 2);

        FeatureScaler scaler = FeatureScaler.Fit(train, FeatureScaling.Standardize);
        scaler.Transform(train);
        scaler.Transform(test);

        // Feature 0: mean 3, population std sqrt(8/3). Feature 1 is constant: shifted only.
        float std = MathF.Sqrt(8f / 3f);
        Assert.Equal(-2 / std, train.Features[0], 5);
        Assert.Equal(0f, train.Features[2], 5);
        Assert.Equal(0f, train.Features[1]);
        Assert.Equal(4 / std, test.Features[0], 5);
        Assert.Equal(-1f, test.Features[1]);
        Assert.Equal(0.0, train.Features.Where((_, i) => i % 2 == 0).Average(f => (double)f), 6);
    }

    [Fact]
    public void MinMaxMapsTrainRangeOntoUnitInterval()
    {
        var train = new Dataset("train", [2, -1, 6, 1, 4, 3], 2, [0, 1, 0], 2);
        var test = new Dataset("test", [10, 0], 2, [1], 2);

        FeatureScaler scaler = FeatureScaler.Fit(train, FeatureScaling.MinMax);
        scaler.Transform(train);
        scaler.Transform(test);

        Assert.Equal([0f, 0f, 1f, 0.5f, 0.5f, 1f], train.Features);
        Assert.Equal([2f, 0.25f], test.Features);
    }

    [Fact]
    public void NoneIsTheIdentity()
    {
        var d = new Dataset("d", [2, -1, 6, 1], 2, [0, 1], 2);
        FeatureScaler.Fit(d, FeatureScaling.None).Transform(d);
        Assert.Equal([2f, -1f, 6f, 1f], d.Features);
    }

    [Fact]
    public void FeatureCountMismatchIsRejected()
    {
        var d = new Dataset("d", [2, -1, 6, 1], 2, [0, 1], 2);
        FeatureScaler scaler = FeatureScaler.Fit(d, FeatureScaling.Standardize);

        Assert.Throws<ArgumentException>(() => scaler.Transform(new Dataset("e", [1, 2, 3], 3, [0], 1)));
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[3]));
    }
}
