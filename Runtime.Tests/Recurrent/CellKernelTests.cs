using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The fused recurrent cell kernels at every width against their scalar reference, over every hidden size 0..300,
/// on strided rows (the gaps between rows must stay untouched): forward on pre-activations that include NaN, ±Inf
/// and huge values, backward on the activations a forward leaves. The vector widths run every lane, the padded
/// tail included, through the same vector sigmoid and tanh, so they must agree bit for bit where the hardware runs
/// them natively. Tolerance against the scalar reference (MathF's exp and tanh): 2e-5 relative + 2e-6 absolute for
/// forward, 1e-4 relative + 1e-5 absolute for backward, whose 1 − tanh² and 1 − σ cancel near saturation.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class CellKernelTests
{
    private const int Rows = 2, Gap = 3;
    private const float Sentinel = 12345f;

    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    /// <summary>What a buffer holds: pre-activations (extremes and non-finite), states, activations of gates (σ or tanh ranges), or gradients.</summary>
    private enum Fill { Pre, State, Sigmoid, Tanh, Gradient }

    /// <summary>A kernel: its buffers as (row width in hiddens, rows, fill per hidden-segment), which it writes, and how to run it.</summary>
    private sealed record Kernel(string Name, (int Segments, bool OneRow, Fill[] Fills)[] Buffers, bool[] Writes,
        Action<float[][], int[], int, SimdWidth> Run, bool Backward);

    private static (int, bool, Fill[]) B(params Fill[] fills) => (fills.Length, false, fills);

    private static readonly Kernel[] Kernels =
    [
        new("lstm forward", [B(Fill.Pre, Fill.Pre, Fill.Pre, Fill.Pre), B(Fill.State), B(Fill.State), B(Fill.State)], [true, false, true, true],
            (b, s, h, w) => LstmCell.Forward(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], b[3], s[3], w), false),
        new("lstm backward", [B(Fill.Sigmoid, Fill.Sigmoid, Fill.Sigmoid, Fill.Tanh), B(Fill.State), B(Fill.State), B(Fill.Gradient), B(Fill.Gradient)],
            [true, false, false, false, true],
            (b, s, h, w) => LstmCell.Backward(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], b[3], s[3], b[4], s[4], w), true),
        new("gru linear forward", [B(Fill.Pre, Fill.Pre, Fill.Pre), B(Fill.Pre, Fill.Pre, Fill.State), (1, true, [Fill.State]), B(Fill.State), B(Fill.State)],
            [true, true, false, false, true],
            (b, s, h, w) => GruCell.ForwardLinear(Rows, h, b[0], s[0], b[1], s[1], b[2], b[3], s[3], b[4], s[4], w), false),
        new("gru linear backward", [B(Fill.Sigmoid, Fill.Sigmoid, Fill.Tanh), B(Fill.Gradient, Fill.Gradient, Fill.State), B(Fill.Tanh), B(Fill.Gradient)],
            [true, true, false, true],
            (b, s, h, w) => GruCell.BackwardLinear(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], b[3], s[3], w), true),
        new("gru reset gates forward", [B(Fill.Pre, Fill.Pre, Fill.Pre), B(Fill.State), B(Fill.State)], [true, false, true],
            (b, s, h, w) => GruCell.ForwardResetGates(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], w), false),
        new("gru candidate forward", [B(Fill.Sigmoid, Fill.Sigmoid, Fill.Pre), B(Fill.State), B(Fill.State)], [true, false, true],
            (b, s, h, w) => GruCell.ForwardCandidate(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], w), false),
        new("gru candidate backward", [B(Fill.Sigmoid, Fill.Sigmoid, Fill.Tanh), B(Fill.Tanh), B(Fill.Gradient)], [true, false, true],
            (b, s, h, w) => GruCell.BackwardCandidate(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], w), true),
        new("gru reset gates backward", [B(Fill.Gradient, Fill.Sigmoid, Fill.Gradient), B(Fill.Tanh), B(Fill.Gradient), B(Fill.Gradient)],
            [true, false, false, true],
            (b, s, h, w) => GruCell.BackwardResetGates(Rows, h, b[0], s[0], b[1], s[1], b[2], s[2], b[3], s[3], w), true),
        new("rnn tanh forward", [B(Fill.Pre), B(Fill.State)], [true, true], (b, s, h, w) => RnnCell.Forward(false, Rows, h, b[0], s[0], b[1], s[1], w), false),
        new("rnn relu forward", [B(Fill.Pre), B(Fill.State)], [true, true], (b, s, h, w) => RnnCell.Forward(true, Rows, h, b[0], s[0], b[1], s[1], w), false),
        new("rnn tanh backward", [B(Fill.Tanh), B(Fill.Gradient)], [true, false], (b, s, h, w) => RnnCell.Backward(false, Rows, h, b[0], s[0], b[1], s[1], w), true),
        new("rnn relu backward", [B(Fill.Pre), B(Fill.Gradient)], [true, false], (b, s, h, w) => RnnCell.Backward(true, Rows, h, b[0], s[0], b[1], s[1], w), true),
    ];

    [Theory, MemberData(nameof(Widths))]
    public void EveryKernelMatchesTheScalarReference(SimdWidth width)
    {
        foreach (var kernel in Kernels)
        {
            double rtol = kernel.Backward ? 1e-4 : 2e-5, atol = kernel.Backward ? 1e-5 : 2e-6;
            for (int hidden = 0; hidden <= KernelTestData.MaxLength; hidden += hidden < 40 ? 1 : 7)
            {
                var (inputs, strides) = Buffers(kernel, hidden, seed: hidden * 31 + kernel.Name.Length);
                var expected = Run(kernel, inputs, strides, hidden, SimdWidth.Scalar);
                var actual = Run(kernel, inputs, strides, hidden, width);
                for (int k = 0; k < inputs.Length; k++)
                {
                    for (int i = 0; i < actual[k].Length; i++)
                    {
                        if (!kernel.Writes[k] || IsGap(kernel, k, hidden, strides[k], i))
                        {
                            Assert.True(actual[k][i].Equals(inputs[k][i]), $"{kernel.Name} {width} hidden={hidden}: buffer {k}[{i}] it must not write changed.");
                            continue;
                        }
                        int at = i, buffer = k;
                        KernelTestData.Check(actual[k][i], expected[k][i], rtol, atol, () => $"{kernel.Name} {width} hidden={hidden} buffer {buffer}[{at}]");
                    }
                }
            }
        }
    }

    [Fact]
    public void TheVectorWidthsGiveTheSameBits()
    {
        SimdWidth[] widths = [.. KernelTestData.Widths.Where(w => w != SimdWidth.Scalar && w <= Isa.Hardware)];
        if (widths.Length < 2) return;   // one vector width (or none) in hardware: nothing to compare
        foreach (var kernel in Kernels)
        {
            for (int hidden = 0; hidden <= KernelTestData.MaxLength; hidden += hidden < 40 ? 1 : 5)
            {
                var (inputs, strides) = Buffers(kernel, hidden, seed: hidden + 7);
                var first = Run(kernel, inputs, strides, hidden, widths[0]);
                foreach (var width in widths.Skip(1))
                {
                    var other = Run(kernel, inputs, strides, hidden, width);
                    for (int k = 0; k < first.Length; k++)
                        Assert.True(first[k].AsSpan().SequenceEqual(other[k]), $"{kernel.Name} hidden={hidden}: buffer {k} differs between {widths[0]} and {width}.");
                }
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void SaturatedAndNonFiniteGatesGiveTheirLimits(SimdWidth width)
    {
        // i, o, f, g of one row of 5: +Inf, −Inf, NaN, huge and ordinary pre-activations.
        float[] gates =
        [
            float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e30f, 0.5f,
            float.PositiveInfinity, float.PositiveInfinity, 1e30f, 88.8f, -0.5f,
            float.NegativeInfinity, float.PositiveInfinity, -1e30f, -88.8f, 0f,
            float.PositiveInfinity, float.NaN, -1e30f, 1e4f, 2f,
        ];
        float[] cPrev = [3f, 1f, 2f, 1e30f, -1f];
        var c = new float[5];
        var h = new float[5];
        LstmCell.Forward(1, 5, gates, 20, cPrev, 5, c, 5, h, 5, width);
        // Column 0: i = 1, o = 1, f = 0, g = 1 → c = 1, h = tanh(1). Column 1: g is NaN → NaN. Column 2: c = 0·2 + 1·(−1).
        Assert.Equal(1f, c[0]);
        Assert.Equal(MathF.Tanh(1f), h[0], 6);
        Assert.True(float.IsNaN(c[1]) && float.IsNaN(h[1]));
        Assert.Equal(-1f, c[2]);
        Assert.Equal(0f, gates[10 + 2]);
        // Column 3: f = σ(−88.8) is about 3e-39, c = 3e-39·1e30 + 0 stays finite and tiny; h = σ(88.8)·tanh(c).
        Assert.True(float.IsFinite(c[3]) && Math.Abs(c[3]) < 1e-6f, $"{width}: c = {c[3]}");
        Assert.True(float.IsFinite(h[4]));
        var y = new float[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f, -1e30f };
        var state = new float[5];
        RnnCell.Forward(false, 1, 5, y, 5, state, 5, width);
        Assert.Equal([1f, -1f, float.NaN, 1f, -1f], state);
        y = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f, -1e30f];
        RnnCell.Forward(true, 1, 5, y, 5, state, 5, width);
        Assert.Equal([float.PositiveInfinity, 0f, float.NaN, 1e30f, 0f], state);
    }

    [Fact]
    public void ShortSpansAreRefusedWithTheirSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => LstmCell.Forward(2, 4, new float[16], 16, new float[8], 4, new float[8], 4, new float[8], 4));
        Assert.Contains("gates has 16 elements, expected at least 32", e.Message);
        var s = Assert.Throws<ArgumentOutOfRangeException>(() => RnnCell.Forward(false, 2, 4, new float[8], 3, new float[8], 4));
        Assert.Contains("less than its row of 4", s.Message);
    }

    private static bool IsGap(Kernel kernel, int k, int hidden, int stride, int i)
    {
        var (segments, oneRow, _) = kernel.Buffers[k];
        return !oneRow && i % stride >= segments * hidden;
    }

    private static (float[][] Buffers, int[] Strides) Buffers(Kernel kernel, int hidden, int seed)
    {
        var rng = new Random(seed);
        var buffers = new float[kernel.Buffers.Length][];
        var strides = new int[buffers.Length];
        for (int k = 0; k < buffers.Length; k++)
        {
            var (segments, oneRow, fills) = kernel.Buffers[k];
            int width = segments * hidden;
            strides[k] = oneRow ? width : width + Gap + k;
            var b = new float[oneRow ? width : (Rows - 1) * strides[k] + width + Gap];
            for (int i = 0; i < b.Length; i++)
            {
                int column = oneRow ? i : i % strides[k];
                b[i] = column >= width ? Sentinel : Value(fills[column / Math.Max(1, hidden)], rng);
            }
            buffers[k] = b;
        }
        return (buffers, strides);
    }

    private static float Value(Fill fill, Random rng) => fill switch
    {
        Fill.Pre => rng.Next(40) switch
        {
            0 => float.NaN,
            1 => float.PositiveInfinity,
            2 => float.NegativeInfinity,
            3 => rng.Next(2) == 0 ? 1e30f : -1e30f,
            < 10 => (float)(rng.NextDouble() * 80 - 40),
            _ => (float)(rng.NextDouble() * 16 - 8),
        },
        Fill.State => rng.Next(30) == 0 ? (rng.Next(2) == 0 ? 1e20f : -1e4f) : (float)(rng.NextDouble() * 8 - 4),
        Fill.Sigmoid => (float)(0.001 + rng.NextDouble() * 0.998),
        Fill.Tanh => (float)(rng.NextDouble() * 1.998 - 0.999),
        _ => (float)(rng.NextDouble() * 4 - 2),
    };

    private static float[][] Run(Kernel kernel, float[][] inputs, int[] strides, int hidden, SimdWidth width)
    {
        var buffers = inputs.Select(b => (float[])b.Clone()).ToArray();
        kernel.Run(buffers, strides, hidden, width);
        return buffers;
    }
}
