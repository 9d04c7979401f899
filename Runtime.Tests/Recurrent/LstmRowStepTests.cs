using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The fused batch-1 LSTM step (<see cref="LstmCell.ForwardRow"/>: the recurrent product from gate-packed weights
/// and the cell in one pass) at every width: against a plain double-precision reference for hidden sizes 1..300
/// (whole and partial blocks of units) and inputs of other lengths than hidden; bit for bit against what it
/// replaces, one-row GEMM with beta 1 into the projection followed by <see cref="LstmCell.Forward(int, int, Span{float}, int, ReadOnlySpan{float}, int, Span{float}, int, Span{float}, int)"/>;
/// and on NaN, ±Inf and huge inputs.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class LstmRowStepTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private sealed record Step(float[] R, float[] HPrev, float[] Projection, float[] CPrev);

    private static Step Random(int hidden, int k, int seed)
    {
        var random = new Random(seed);
        float U(float scale) => (float)(random.NextDouble() * 2 - 1) * scale;
        float rScale = 1.5f / MathF.Sqrt(k);
        return new Step(
            [.. Enumerable.Range(0, 4 * hidden * k).Select(_ => U(rScale))],
            [.. Enumerable.Range(0, k).Select(_ => U(1f))],
            [.. Enumerable.Range(0, 4 * hidden).Select(_ => U(2f))],
            [.. Enumerable.Range(0, hidden).Select(_ => U(3f))]);
    }

    private static (float[] C, float[] H) Run(Step s, int hidden, int k, SimdWidth width)
    {
        using var packed = new GatePackedWeights(LstmCell.Gates, hidden, k, s.R, width);
        var c = new float[hidden];
        var h = new float[hidden];
        LstmCell.ForwardRow(packed, s.HPrev, s.Projection, s.CPrev, c, h);
        return (c, h);
    }

    /// <summary>The step in double precision, gates in ONNX's order i, o, f, c.</summary>
    private static (double[] C, double[] H) Reference(Step s, int hidden, int k)
    {
        var c = new double[hidden];
        var h = new double[hidden];
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        for (int j = 0; j < hidden; j++)
        {
            var pre = new double[4];
            for (int q = 0; q < 4; q++)
            {
                double sum = s.Projection[q * hidden + j];
                for (int p = 0; p < k; p++) sum += (double)s.HPrev[p] * s.R[(q * hidden + j) * k + p];
                pre[q] = sum;
            }
            c[j] = Sigmoid(pre[2]) * s.CPrev[j] + Sigmoid(pre[0]) * Math.Tanh(pre[3]);
            h[j] = Sigmoid(pre[1]) * Math.Tanh(c[j]);
        }
        return (c, h);
    }

    [Theory, MemberData(nameof(Widths))]
    public void MatchesThePlainReference(SimdWidth width)
    {
        foreach (int hidden in Enumerable.Range(1, KernelTestData.MaxLength).Where(n => n <= 40 || n % 7 == 0))
        {
            foreach (int k in new[] { hidden, 1, 3, 28 })
            {
                var s = Random(hidden, k, seed: hidden * 13 + k);
                var (c, h) = Run(s, hidden, k, width);
                var (ec, eh) = Reference(s, hidden, k);
                for (int j = 0; j < hidden; j++)
                {
                    int at = j;
                    KernelTestData.Check(c[j], (float)ec[j], 2e-5, 2e-5, () => $"{width} hidden={hidden} k={k} c[{at}]");
                    KernelTestData.Check(h[j], (float)eh[j], 2e-5, 2e-5, () => $"{width} hidden={hidden} k={k} h[{at}]");
                }
            }
        }
    }

    /// <summary>The fused step gives the bits of one-row GEMM (beta 1, into the projection) followed by the cell kernel at the same width.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void GivesTheBitsOfGemmThenTheCell(SimdWidth width)
    {
        if (width == SimdWidth.Scalar) return;   // the scalar GEMM sums in its own tile order; the reference test above holds it
        foreach (int hidden in new[] { 1, 5, 8, 15, 16, 17, 31, 32, 33, 64, 100, 128, 200, 256 })
        {
            var s = Random(hidden, hidden, seed: hidden);
            var (c, h) = Run(s, hidden, hidden, width);
            float[] gates = [.. s.Projection];
            using (var packedGemm = Gemm.PackB(width, MatrixOp.Transpose, hidden, 4 * hidden, s.R, hidden))
                Gemm.Multiply(1, 1f, s.HPrev, hidden, packedGemm, 1f, gates, 4 * hidden);
            var ec = new float[hidden];
            var eh = new float[hidden];
            LstmCell.Forward(1, hidden, gates, 4 * hidden, s.CPrev, hidden, ec, hidden, eh, hidden, width);
            Assert.True(c.AsSpan().SequenceEqual(ec), $"{width} hidden={hidden}: c differs from GEMM then the cell.");
            Assert.True(h.AsSpan().SequenceEqual(eh), $"{width} hidden={hidden}: h differs from GEMM then the cell.");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void NonFiniteAndHugeInputsGiveTheirLimits(SimdWidth width)
    {
        const int hidden = 37, k = 5;
        var s = Random(hidden, k, seed: 5);
        // Unit 0: g pre-activation +Inf with i saturated open → c = f·cPrev + 1, finite. Unit 1: o = NaN → h NaN.
        // Unit 36 (the partial block's last lane at 512 bits): f = −huge (forget), i = +huge, g = −huge → c = −1.
        s.Projection[0] = 1e30f; s.Projection[3 * hidden] = float.PositiveInfinity;
        s.Projection[hidden + 1] = float.NaN;
        s.Projection[36] = 1e30f; s.Projection[2 * hidden + 36] = -1e30f; s.Projection[3 * hidden + 36] = -1e30f;
        var (c, h) = Run(s, hidden, k, width);
        Assert.True(float.IsFinite(c[0]) && float.IsFinite(h[0]), $"{width}: unit 0 c={c[0]} h={h[0]}");
        Assert.True(float.IsNaN(h[1]) && float.IsFinite(c[1]), $"{width}: unit 1 c={c[1]} h={h[1]}");
        Assert.Equal(-1f, c[36]);
        for (int j = 2; j < 36; j++) Assert.True(float.IsFinite(c[j]) && float.IsFinite(h[j]), $"{width}: unit {j}");

        // A NaN in the previous state reaches every unit.
        s = Random(hidden, k, seed: 6);
        s.HPrev[2] = float.NaN;
        (c, h) = Run(s, hidden, k, width);
        Assert.All(h, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GatePackedWeights(4, 3, 2, new float[10], Isa.Width));
        Assert.Contains("expected gates·hidden·k = 4·3·2 = 24", ex.Message);
        using var packed = new GatePackedWeights(4, 3, 2, new float[24], Isa.Width);
        ex = Assert.Throws<ArgumentException>(() => LstmCell.ForwardRow(packed, new float[2], new float[11], new float[3], new float[3], new float[3]));
        Assert.Contains("projection", ex.Message);
        using var rnn = new GatePackedWeights(1, 3, 2, new float[6], Isa.Width);
        ex = Assert.Throws<ArgumentException>(() => LstmCell.ForwardRow(rnn, new float[2], new float[12], new float[3], new float[3], new float[3]));
        Assert.Contains("4 gates", ex.Message);
    }
}
