using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>Widths, inputs and tolerance checks shared by the elementwise, softmax and reduction tests.</summary>
internal static class KernelTestData
{
    public static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    public static IEnumerable<object[]> WidthCases() => Widths.Select(w => new object[] { w });

    /// <summary>Elementwise lengths swept: every length 0..300.</summary>
    public const int MaxLength = 300;

    /// <summary>
    /// Inputs: most in [−8, 8] where the activations bend, a quarter in [−40, 40] where exp-based ones saturate, and
    /// magnitudes that stress clamping and overflow (±88.8 is just past float exp's overflow point).
    /// </summary>
    public static float[] Inputs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        float[] extremes = [1e30f, -1e30f, 88.8f, -88.8f, 1e4f, -1e4f, 20.5f, -20.5f, 104f, -104f, 0f, -0f, 1e-7f, -1e-7f, 3f, -3f];
        for (int i = 0; i < n; i++)
        {
            int pick = rng.Next(16);
            x[i] = pick == 0 ? extremes[rng.Next(extremes.Length)]
                 : pick < 4 ? (float)(rng.NextDouble() * 80 - 40)
                 : (float)(rng.NextDouble() * 16 - 8);
        }
        return x;
    }

    public static float[] Uniform(int n, int seed, float lo, float hi)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(lo + rng.NextDouble() * (hi - lo));
        return x;
    }

    /// <summary>|actual − expected| ≤ rtol·|expected| + atol, with NaN matching NaN and equal infinities matching.</summary>
    public static bool Close(float actual, double expected, double rtol, double atol)
    {
        if (double.IsNaN(expected)) return float.IsNaN(actual);
        if (double.IsInfinity(expected) || Math.Abs(expected) > float.MaxValue) return (double)actual == (double)(float)expected;
        return Math.Abs(actual - expected) <= rtol * Math.Abs(expected) + atol;
    }

    /// <summary>Asserts <see cref="Close"/>; the message is only formatted on failure (formatting each check costs seconds).</summary>
    public static void Check(float actual, double expected, double rtol, double atol, Func<string> what)
    {
        if (!Close(actual, expected, rtol, atol))
            Assert.Fail($"{what()}: got {actual:R}, expected {expected:R} (error {Math.Abs(actual - expected):E3}, allowed {rtol:E1}·|e| + {atol:E1})");
    }
}
