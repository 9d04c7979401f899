namespace Simd.Runtime.Data;

/// <summary>
/// What a stratified split of a dataset with a given fraction would give, computed without drawing it: the sizes of
/// both parts, and the range of fractions for which neither part is empty.
/// </summary>
/// <param name="TrainCount">Samples left in the first (training) part.</param>
/// <param name="TestCount">Samples held out.</param>
/// <param name="SmallestFraction">The smallest fraction that holds out at least one sample (three decimals, rounded up).</param>
/// <param name="LargestFraction">The largest fraction that leaves at least one sample (three decimals, rounded down).</param>
public readonly record struct StratifiedSplitPlan(int TrainCount, int TestCount, double SmallestFraction, double LargestFraction)
{
    /// <summary>True when both parts hold at least one sample.</summary>
    public bool IsValid => TrainCount > 0 && TestCount > 0;

    /// <summary>"fractions from 0.05 to 0.95 work", or why none does.</summary>
    public string DescribeRange() =>
        SmallestFraction <= LargestFraction
            ? $"fractions from {Format(SmallestFraction)} to {Format(LargestFraction)} work"
            : "no fraction works: no class has two samples to divide";

    private static string Format(double fraction) => fraction.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
