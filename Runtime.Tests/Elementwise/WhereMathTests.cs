using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// <see cref="WhereMath"/> at every width and length 0..300, with each of condition, a and b a full span or one
/// broadcast value, conditions holding ±0, 1, NaN and other values: a selection, so every width gives the scalar
/// rule's bits (any value but ±0 is true), forward and backward, and outputs may be an input's own span.
/// </summary>
[Trait("Category", "Kernels")]
public class WhereMathTests
{
    public static TheoryData<SimdWidth> Widths()
    {
        var data = new TheoryData<SimdWidth>();
        foreach (SimdWidth w in KernelTestData.Widths) data.Add(w);
        return data;
    }

    private static float[] Conditions(int n, int seed)
    {
        float[] choices = [0f, -0f, 1f, float.NaN, -3f, 1e-40f, float.PositiveInfinity];
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => choices[rng.Next(choices.Length)])];
    }

    private static bool True(float c) => c != 0;

    [Theory, MemberData(nameof(Widths))]
    public void ForwardSelectsAsTheScalarRule(SimdWidth width)
    {
        for (int layout = 0; layout < 8; layout++)
        {
            bool sc = (layout & 1) != 0, sa = (layout & 2) != 0, sb = (layout & 4) != 0;
            for (int n = 1; n <= KernelTestData.MaxLength; n++)
            {
                float[] c = Conditions(sc ? 1 : n, n), a = KernelTestData.Inputs(sa ? 1 : n, 100 + n), b = KernelTestData.Inputs(sb ? 1 : n, 200 + n);
                var z = new float[n + 1];
                z[n] = 7;
                WhereMath.Forward(c, a, b, z.AsSpan(0, n), width);
                Assert.Equal(7, z[n]);
                for (int i = 0; i < n; i++)
                {
                    float expected = True(c[sc ? 0 : i]) ? a[sa ? 0 : i] : b[sb ? 0 : i];
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(z[i]), $"{width} layout {layout} n={n} [{i}]");
                }
                // In place over a.
                if (!sa)
                {
                    var inPlace = (float[])a.Clone();
                    WhereMath.Forward(c, inPlace, b, inPlace, width);
                    Assert.Equal(z.AsSpan(0, n).ToArray(), inPlace);
                }
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BackwardRoutesTheGradientByTheCondition(SimdWidth width)
    {
        foreach (bool scalarCondition in new[] { false, true })
            for (int n = 0; n <= KernelTestData.MaxLength; n++)
            {
                float[] c = Conditions(scalarCondition ? 1 : Math.Max(n, 1), 300 + n), dz = KernelTestData.Uniform(n, 400 + n, -3, 3);
                if (scalarCondition && n == 0) continue;
                var da = new float[n];
                var db = new float[n];
                WhereMath.Backward(c, dz, da, db, width);
                for (int i = 0; i < n; i++)
                {
                    bool t = True(c[scalarCondition ? 0 : i]);
                    Assert.Equal(t ? dz[i] : 0, da[i]);
                    Assert.Equal(t ? 0 : dz[i], db[i]);
                }
                // Either gradient written over dz's own span, the other beside it.
                var overA = (float[])dz.Clone();
                var other = new float[n];
                WhereMath.Backward(c, overA, overA, other, width);
                Assert.Equal(da, overA);
                Assert.Equal(db, other);
                var overB = (float[])dz.Clone();
                WhereMath.Backward(c, overB, other, overB, width);
                Assert.Equal(da, other);
                Assert.Equal(db, overB);
            }
    }

    [Fact]
    public void OperandsOfAnotherLengthAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => WhereMath.Forward(new float[3], new float[2], new float[3], new float[3]));
        Assert.StartsWith("a has 2 elements, expected z's 3 or one to broadcast.", e.Message);
        e = Assert.Throws<ArgumentException>(() => WhereMath.Backward(new float[3], new float[3], new float[2], default));
        Assert.StartsWith("da has 2 elements, expected dz's 3 (or none to skip it).", e.Message);
    }
}
