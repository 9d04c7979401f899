namespace Simd.Runtime.Data;

/// <summary>
/// Seeded train/test splits that keep each class's share: every class (or, for a single 0/1 target, each of the two
/// values) contributes round(count × testFraction) samples to the test part. The same seed gives the same split.
/// </summary>
public static class StratifiedSplitter
{
    /// <summary>
    /// Holds out <paramref name="testFraction"/> of each stratum, drawn with <paramref name="seed"/>. A fraction that
    /// leaves either part empty is an error giving the sizes and the fractions that work (see <see cref="Plan"/>,
    /// which a caller can ask first to word the error in its own terms).
    /// </summary>
    public static DatasetSplit Split(Dataset dataset, double testFraction, int seed)
    {
        StratifiedSplitPlan plan = Plan(dataset, testFraction);
        if (!plan.IsValid)
            throw new ArgumentException(
                $"Splitting the {dataset.Count} samples of '{dataset.Name}' with fraction {testFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
                $"leaves {plan.TrainCount} for training and {plan.TestCount} held out; both need at least one ({plan.DescribeRange()}).");

        List<int>[] members = Members(dataset);
        var random = new Random(seed);
        var train = new List<int>(plan.TrainCount);
        var test = new List<int>(plan.TestCount);
        foreach (List<int> group in members)
        {
            int[] indices = group.ToArray();
            random.Shuffle(indices);
            int testCount = HeldOut(indices.Length, testFraction);
            test.AddRange(indices.AsSpan(0, testCount));
            train.AddRange(indices.AsSpan(testCount));
        }

        // Interleave the classes again so that neither part is sorted by class.
        int[] trainOrder = train.ToArray(), testOrder = test.ToArray();
        random.Shuffle(trainOrder);
        random.Shuffle(testOrder);
        return new DatasetSplit(dataset.Subset(trainOrder, dataset.Name + " (train)"), dataset.Subset(testOrder, dataset.Name + " (test)"));
    }

    /// <summary>The sizes <see cref="Split"/> would give with <paramref name="testFraction"/>, and the fractions that leave neither part empty.</summary>
    public static StratifiedSplitPlan Plan(Dataset dataset, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentException(
                $"The split fraction must lie strictly between 0 and 1, not {testFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        int test = 0, largest = 0;
        foreach (List<int> group in Members(dataset))
        {
            test += HeldOut(group.Count, testFraction);
            largest = Math.Max(largest, group.Count);
        }
        // The largest stratum is the first to hold one out (n·f ≥ ½) and the last to keep one (n·f < n − ½).
        double smallest = largest == 0 ? 1 : Math.Ceiling(0.5 / largest * 1000 - 1e-9) / 1000;
        double most = largest == 0 ? 0 : Math.Floor((1 - 0.5 / largest) * 1000 - 1e-6) / 1000;
        return new StratifiedSplitPlan(dataset.Count - test, test, smallest, most);
    }

    private static int HeldOut(int count, double fraction) => (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);

    private static List<int>[] Members(Dataset dataset)
    {
        int[] strata = StrataOf(dataset, out int strataCount);
        var members = new List<int>[strataCount];
        for (int s = 0; s < strataCount; s++) members[s] = [];
        for (int i = 0; i < dataset.Count; i++) members[strata[i]].Add(i);
        return members;
    }

    /// <summary>The stratum of each sample: its class, its 0/1 target, or 0 for everything else.</summary>
    private static int[] StrataOf(Dataset dataset, out int strataCount)
    {
        if (dataset.Labels is int[] labels)
        {
            strataCount = dataset.ClassCount;
            return labels;
        }
        var strata = new int[dataset.Count];
        strataCount = 1;
        if (dataset.TargetCount != 1) return strata;
        float[] targets = dataset.Targets!;
        foreach (float t in targets)
        {
            if (t != 0f && t != 1f) return strata;
        }
        for (int i = 0; i < strata.Length; i++) strata[i] = (int)targets[i];
        strataCount = 2;
        return strata;
    }
}
