using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The batch-1 LSTM sequence (<see cref="LstmCell.ForwardRowSequence"/>, each step's last block of units left
/// pending into the next step) at every width: bit for bit what <see cref="LstmCell.ForwardRow"/> gives step by step,
/// forward and reverse, with the history slots apart (a bidirectional layout) and with whole and partial blocks of
/// units; the zero initial state's skipped first product; NaN carried through; bad arguments named.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class LstmRowSequenceTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private sealed record Sequence(float[] R, float[] Projection, float[] H0, float[] C0);

    private static Sequence Random(int hidden, int steps, int projectionStride, int seed)
    {
        var random = new Random(seed);
        float U(float scale) => (float)(random.NextDouble() * 2 - 1) * scale;
        float rScale = 1.5f / MathF.Sqrt(hidden);
        return new Sequence(
            [.. Enumerable.Range(0, 4 * hidden * hidden).Select(_ => U(rScale))],
            [.. Enumerable.Range(0, steps * projectionStride).Select(_ => U(2f))],
            [.. Enumerable.Range(0, hidden).Select(_ => U(1f))],
            [.. Enumerable.Range(0, hidden).Select(_ => U(3f))]);
    }

    /// <summary>The sequence through ForwardRowSequence: the history (slot t at t·stride) and the final state.</summary>
    private static (float[] H, float[] C, float[] HFinal, float[] CFinal) RunSequence(GatePackedWeights packed, Sequence s, int steps, int pStride,
        int stride, bool reverse, bool zeroInitial)
    {
        int hidden = packed.Hidden, length = (steps - 1) * stride + hidden;
        float[] h = new float[length], c = new float[length], hFinal = new float[hidden], cFinal = new float[hidden];
        h.AsSpan().Fill(-7f);
        c.AsSpan().Fill(-7f);
        int first = reverse ? steps - 1 : 0;
        (zeroInitial ? new float[hidden] : s.H0).CopyTo(h, first * stride);
        (zeroInitial ? new float[hidden] : s.C0).CopyTo(c, first * stride);
        LstmCell.ForwardRowSequence(packed, steps, s.Projection, pStride, h, c, stride, reverse, zeroInitial, hFinal, cFinal);
        return (h, c, hFinal, cFinal);
    }

    /// <summary>The same steps one ForwardRow call at a time.</summary>
    private static (float[] H, float[] C, float[] HFinal, float[] CFinal) RunSteps(GatePackedWeights packed, Sequence s, int steps, int pStride,
        int stride, bool reverse, bool zeroInitial)
    {
        int hidden = packed.Hidden, length = (steps - 1) * stride + hidden;
        float[] h = new float[length], c = new float[length], hFinal = new float[hidden], cFinal = new float[hidden];
        h.AsSpan().Fill(-7f);
        c.AsSpan().Fill(-7f);
        int first = reverse ? steps - 1 : 0;
        (zeroInitial ? new float[hidden] : s.H0).CopyTo(h, first * stride);
        (zeroInitial ? new float[hidden] : s.C0).CopyTo(c, first * stride);
        for (int i = 0; i < steps; i++)
        {
            int t = reverse ? steps - 1 - i : i, next = reverse ? t - 1 : t + 1;
            Span<float> hOut = i == steps - 1 ? hFinal : h.AsSpan(next * stride, hidden), cOut = i == steps - 1 ? cFinal : c.AsSpan(next * stride, hidden);
            LstmCell.ForwardRow(packed, h.AsSpan(t * stride, hidden), s.Projection.AsSpan(t * pStride, 4 * hidden), c.AsSpan(t * stride, hidden), cOut, hOut);
        }
        return (h, c, hFinal, cFinal);
    }

    [Theory, MemberData(nameof(Widths))]
    public void GivesTheBitsOfStepByStep(SimdWidth width)
    {
        foreach (int hidden in new[] { 1, 5, 8, 15, 16, 17, 31, 32, 33, 48, 64, 100, 128, 200 })
            foreach (int steps in new[] { 1, 2, 5 })
                foreach (bool reverse in new[] { false, true })
                    foreach (bool zeroInitial in new[] { false, true })
                    {
                        // A bidirectional layout: slots two states apart, projections two steps' gates apart.
                        int stride = 2 * hidden, pStride = 8 * hidden + 3;
                        var s = Random(hidden, steps, pStride, seed: hidden * 31 + steps);
                        using var packed = new GatePackedWeights(LstmCell.Gates, hidden, hidden, s.R, width);
                        var got = RunSequence(packed, s, steps, pStride, stride, reverse, zeroInitial);
                        var want = RunSteps(packed, s, steps, pStride, stride, reverse, zeroInitial);
                        string at = $"{width} hidden={hidden} steps={steps} reverse={reverse} zero={zeroInitial}";
                        Assert.True(got.H.AsSpan().SequenceEqual(want.H), $"{at}: the h history differs.");
                        Assert.True(got.C.AsSpan().SequenceEqual(want.C), $"{at}: the c history differs.");
                        Assert.True(got.HFinal.AsSpan().SequenceEqual(want.HFinal), $"{at}: the final h differs.");
                        Assert.True(got.CFinal.AsSpan().SequenceEqual(want.CFinal), $"{at}: the final c differs.");
                    }
    }

    /// <summary>A zero initial state skips the first step's product: its weights are not read, so a NaN in R reaches the state only from step 2.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void ZeroInitialStateSkipsTheFirstProduct(SimdWidth width)
    {
        const int hidden = 37, steps = 2;
        var s = Random(hidden, steps, 4 * hidden, seed: 3);
        s.R[5 * hidden + 2] = float.NaN;   // row 5 (gate i of unit 5), column 2
        using var packed = new GatePackedWeights(LstmCell.Gates, hidden, hidden, s.R, width);
        var (h, _, hFinal, _) = RunSequence(packed, s, steps, 4 * hidden, hidden, reverse: false, zeroInitial: true);
        Assert.All(h.AsSpan(hidden, hidden).ToArray(), v => Assert.True(float.IsFinite(v), $"{width}: step 1's state {v}"));
        // Step 2 multiplies that weight by h[2]: unit 5's gate i, and so its state, turns NaN.
        Assert.True(float.IsNaN(hFinal[5]), $"{width}: unit 5 after step 2 = {hFinal[5]}");
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        using var packed = new GatePackedWeights(4, 3, 3, new float[36], Isa.Width);
        var ex = Assert.Throws<ArgumentException>(() =>
            LstmCell.ForwardRowSequence(packed, 2, new float[23], 12, new float[6], new float[6], 3, false, false, new float[3], new float[3]));
        Assert.Contains("projection", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            LstmCell.ForwardRowSequence(packed, 2, new float[24], 12, new float[5], new float[6], 3, false, false, new float[3], new float[3]));
        Assert.Contains("h", ex.Message);
        using var wide = new GatePackedWeights(4, 3, 2, new float[24], Isa.Width);
        ex = Assert.Throws<ArgumentException>(() =>
            LstmCell.ForwardRowSequence(wide, 1, new float[12], 12, new float[3], new float[3], 3, false, false, new float[3], new float[3]));
        Assert.Contains("k = hidden = 3", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LstmCell.ForwardRowSequence(packed, 0, new float[12], 12, new float[3], new float[3], 3, false, false, new float[3], new float[3]));
    }
}
