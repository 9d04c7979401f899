namespace Simd.Runtime.Data;

/// <summary>
/// Seeded train/test splits that keep each class's share: every class (or, for a single 0/1 target, each of the two
/// values) contributes round(count × testFraction) samples to the test part. The same seed gives the same split.
/// </summary>
public static class StratifiedSplitter
{
    public static DatasetSplit Split(Dataset dataset, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");

        int[] strata = StrataOf(dataset, out int strataCount);
        var members = new List<int>[strataCount];
        for (int s = 0; s < strataCount; s++) members[s] = [];
        for (int i = 0; i < dataset.Count; i++) members[strata[i]].Add(i);

        var random = new Random(seed);
        var train = new List<int>(dataset.Count);
        var test = new List<int>((int)(dataset.Count * testFraction) + strataCount);
        foreach (List<int> group in members)
        {
            int[] indices = group.ToArray();
            random.Shuffle(indices);
            int testCount = (int)Math.Round(indices.Length * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(indices.AsSpan(0, testCount));
            train.AddRange(indices.AsSpan(testCount));
        }
        if (train.Count == 0 || test.Count == 0)
            throw new ArgumentException(
                $"Splitting the {dataset.Count} samples of '{dataset.Name}' with test fraction {testFraction} leaves {train.Count} for training and {test.Count} for test; both need at least one.",
                nameof(testFraction));

        // Interleave the classes again so that neither part is sorted by class.
        int[] trainOrder = train.ToArray(), testOrder = test.ToArray();
        random.Shuffle(trainOrder);
        random.Shuffle(testOrder);
        return new DatasetSplit(dataset.Subset(trainOrder, dataset.Name + " (train)"), dataset.Subset(testOrder, dataset.Name + " (test)"));
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
