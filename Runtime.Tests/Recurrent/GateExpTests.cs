using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The LSTM cell computes its gates' exps side by side (<see cref="GateExp"/>) and pairs of vectors' tanh(c') side
/// by side: that must change the schedule only. Checked lane for lane against ElementMath's exp, sigmoid and tanh
/// taken one at a time, at every width the hardware runs, on a grid through the ordinary range, exp's overflow and
/// subnormal edges and the special values.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class GateExpTests
{
    private static float[] Grid()
    {
        var values = new List<float>();
        for (double v = -112; v < -80; v += 7.3e-3) values.Add((float)v);
        for (double v = 85; v < 92; v += 3.1e-3) values.Add((float)v);
        for (double v = -12; v < 12; v += 1.7e-3) values.Add((float)v);
        values.AddRange([float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, 0f, -0f, 1e-40f, -1e-40f, 0.55f, -0.55f]);
        while (values.Count % 64 != 0) values.Add(0.25f);
        return [.. values];
    }

    [Fact]
    public unsafe void InterleavedExpsGiveTheBitsOfExpOneAtATime()
    {
        float[] x = Grid();
        fixed (float* p = x)
        {
            for (int i = 0; i < x.Length; i += 64)
            {
                if (Vector512.IsHardwareAccelerated) Check<Vector512<float>, Gate512>(p + i, 16, v => ElementMath.Exp(v));
                if (Vector256.IsHardwareAccelerated) Check<Vector256<float>, Gate256>(p + i, 8, v => ElementMath.Exp(v));
                Check<Vector128<float>, Gate128>(p + i, 4, v => ElementMath.Exp(v));
            }
        }
    }

    private static unsafe void Check<TVec, TOps>(float* p, int lanes, Func<TVec, TVec> exp) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        TVec a = TOps.Load(p), b = TOps.Load(p + lanes), c = TOps.Load(p + 2 * lanes), d = TOps.Load(p + 3 * lanes);
        TVec[] expected = [exp(a), exp(b), exp(c), exp(d)];
        GateExp.Exp4<TVec, TOps>(ref a, ref b, ref c, ref d);
        TVec e = TOps.Load(p), f = TOps.Load(p + lanes);
        GateExp.Exp2<TVec, TOps>(ref e, ref f);
        TVec[] actual = [a, b, c, d, e, f];
        for (int k = 0; k < actual.Length; k++)
            Assert.True(actual[k].Equals(expected[k % 4]), $"{typeof(TVec).Name}: exp of the lanes from {p[k % 4 * lanes]} differs: {actual[k]} vs {expected[k % 4]}");
    }

    /// <summary>Every vector width the hardware runs (none where the instruction sets are switched off).</summary>
    [Fact]
    public void TheLstmCellGivesTheBitsOfSigmoidAndTanhOneAtATime()
    {
        foreach (SimdWidth width in KernelTestData.Widths.Where(w => w != SimdWidth.Scalar && w <= Isa.Hardware)) CheckCell(width);
    }

    private static void CheckCell(SimdWidth width)
    {
        const int hidden = 96;   // pairs and single vectors at every width
        float[] x = Grid();
        for (int start = 0; start + 4 * hidden + hidden <= x.Length; start += 5 * hidden)
        {
            float[] gates = x.AsSpan(start, 4 * hidden).ToArray(), cPrev = x.AsSpan(start + 4 * hidden, hidden).ToArray();
            for (int j = 0; j < hidden; j++) cPrev[j] = float.IsFinite(cPrev[j]) ? cPrev[j] / 8 : cPrev[j];
            float[] c = new float[hidden], h = new float[hidden], pre = (float[])gates.Clone();
            LstmCell.Forward(1, hidden, gates, 4 * hidden, cPrev, hidden, c, hidden, h, hidden, width);
            for (int j = 0; j < hidden; j++)
            {
                float i = Sigmoid(pre[j]), o = Sigmoid(pre[hidden + j]), f = Sigmoid(pre[2 * hidden + j]), g = Tanh(pre[3 * hidden + j]);
                float cj = f * cPrev[j] + i * g;
                AssertSame(i, gates[j], "i", pre[j]);
                AssertSame(o, gates[hidden + j], "o", pre[hidden + j]);
                AssertSame(f, gates[2 * hidden + j], "f", pre[2 * hidden + j]);
                AssertSame(g, gates[3 * hidden + j], "g", pre[3 * hidden + j]);
                AssertSame(cj, c[j], "c'", cj);
                AssertSame(o * Tanh(cj), h[j], "h'", cj);
            }
            // Backward from what the forward left: its tanh(c') pairs too.
            float[] dh = [.. Enumerable.Range(0, hidden).Select(k => (k % 7 - 3) * 0.3f)], dc = [.. Enumerable.Range(0, hidden).Select(k => (k % 5 - 2) * 0.2f)];
            float[] acts = (float[])gates.Clone(), dcIn = (float[])dc.Clone();
            LstmCell.Backward(1, hidden, gates, 4 * hidden, cPrev, hidden, c, hidden, dh, hidden, dc, hidden, width);
            for (int j = 0; j < hidden; j++)
            {
                float i = acts[j], o = acts[hidden + j], f = acts[2 * hidden + j], t = Tanh(c[j]);
                float dcj = dcIn[j] + dh[j] * o * ((1 - t) * (1 + t));
                AssertSame(dh[j] * t * (o * (1 - o)), gates[hidden + j], "do", c[j]);
                AssertSame(dcj * f, dc[j], "dcPrev", c[j]);
                AssertSame(dcj * acts[3 * hidden + j] * (i * (1 - i)), gates[j], "di", c[j]);
            }
        }
    }

    // One lane through the 128-bit functions: every width's lanes give the same bits (CellKernelTests).
    private static float Sigmoid(float x) => ElementMath.Sigmoid(Vector128.Create(x)).ToScalar();

    private static float Tanh(float x) => ElementMath.Tanh(Vector128.Create(x)).ToScalar();

    private static void AssertSame(float expected, float actual, string what, float from)
    {
        if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"{what} from {from}: expected NaN, got {actual}");
        else Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{what} from {from}: expected {expected:R}, got {actual:R}");
    }
}
