using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

/// <summary>The sizes a stratified split would give, known before drawing it, and the fractions that work.</summary>
public sealed class SplitPlanTests
{
    /// <summary>Three classes of 10, 4 and 2 samples.</summary>
    private static Dataset Classes()
    {
        int[] labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 4), .. Enumerable.Repeat(2, 2)];
        return new Dataset("three", labels.Select(l => (float)l).ToArray(), 1, labels, 3);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void ThePlanGivesTheSizesOfTheSplit(double fraction)
    {
        StratifiedSplitPlan plan = StratifiedSplitter.Plan(Classes(), fraction);
        DatasetSplit split = StratifiedSplitter.Split(Classes(), fraction, seed: 3);

        Assert.Equal(split.Train.Count, plan.TrainCount);
        Assert.Equal(split.Test.Count, plan.TestCount);
    }

    [Fact]
    public void TheFractionRangeIsSetByTheLargestClass()
    {
        StratifiedSplitPlan plan = StratifiedSplitter.Plan(Classes(), 0.01);

        Assert.False(plan.IsValid);
        Assert.Equal(0, plan.TestCount);
        Assert.Equal(0.05, plan.SmallestFraction);
        Assert.Equal(0.949, plan.LargestFraction);
        Assert.True(StratifiedSplitter.Plan(Classes(), plan.SmallestFraction).IsValid);
        Assert.True(StratifiedSplitter.Plan(Classes(), plan.LargestFraction).IsValid);
        Assert.False(StratifiedSplitter.Plan(Classes(), 0.96).IsValid);
    }

    [Fact]
    public void AFailedSplitGivesTheSizesAndTheRangeWithoutParameterNames()
    {
        var e = Assert.Throws<ArgumentException>(() => StratifiedSplitter.Split(Classes(), 0.01, seed: 1));

        Assert.Equal("Splitting the 16 samples of 'three' with fraction 0.01 leaves 16 for training and 0 held out; both need at least one " +
                     "(fractions from 0.05 to 0.949 work).", e.Message);
    }

    [Fact]
    public void OneSamplePerClassCannotBeSplit()
    {
        var single = new Dataset("single", [1f, 2f], 1, [0, 1], 2);

        StratifiedSplitPlan plan = StratifiedSplitter.Plan(single, 0.5);

        Assert.False(plan.IsValid);
        Assert.Contains("no fraction works", plan.DescribeRange());
    }
}
