using System.Globalization;
using Simd.Runtime.Data;
using Simd.Runtime.Training;

namespace Simd.Models.Reporting;

/// <summary>
/// Whether a test accuracy says the model learned anything. The baseline is always predicting the test split's
/// most common class (never below 1/classes); an accuracy is at chance unless it beats that baseline by three
/// standard errors of a proportion of that size over the test samples, and by at least 0.02: on digits' 359 test
/// samples at a baseline of 0.10 that asks for 0.148, on breast-cancer's 114 at 0.63 for 0.77.
/// </summary>
internal static class ChanceLevel
{
    public const double MinimumMargin = 0.02, StandardErrors = 3;

    /// <summary>The share of the most common class, or NaN for targets that are not classes.</summary>
    public static double Baseline(Dataset test)
    {
        if (test.Count == 0) return double.NaN;
        long[] counts;
        if (test.Labels is int[] labels)
        {
            counts = new long[Math.Max(test.ClassCount, 1)];
            foreach (int label in labels) if (label >= 0 && label < counts.Length) counts[label]++;
        }
        else if (test.TargetCount == 1 && test.Targets is float[] targets)
        {
            counts = new long[2];
            foreach (float t in targets) counts[t > 0.5f ? 1 : 0]++;
        }
        else
        {
            return double.NaN;
        }
        return Math.Max(counts.Max() / (double)test.Count, 1.0 / counts.Length);
    }

    /// <summary>The accuracy a run must exceed not to be at chance.</summary>
    public static double Threshold(double baseline, int count) =>
        baseline + Math.Max(MinimumMargin, StandardErrors * Math.Sqrt(baseline * (1 - baseline) / Math.Max(count, 1)));

    /// <summary>A line saying the run ended at chance level and what to try, or null when it did not.</summary>
    public static string? Warning(EvaluationResult test, Dataset data)
    {
        double baseline = Baseline(data);
        if (double.IsNaN(baseline) || double.IsNaN(test.Accuracy) || test.Accuracy > Threshold(baseline, data.Count)) return null;
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"warning: test accuracy {test.Accuracy:F4} is not above chance: always predicting the most common class ") +
               string.Create(c, $"scores {baseline:F4}. The model learned little; try another --lr, more --epochs, --batch-norm false, ") +
               "or check the data and --label-column.";
    }
}
