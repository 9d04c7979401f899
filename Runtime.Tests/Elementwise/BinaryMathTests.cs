using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// <see cref="BinaryMath"/> at every width and length 0..300, with each operand either a full span or one value
/// broadcast, on inputs with NaN, ±Inf, ±0 and huge values: forward and backward are one rounding per element (or
/// a selection), so every width must equal the plain float computation bit for bit (NaN matching NaN).
/// </summary>
[Trait("Category", "Kernels")]
public class BinaryMathTests
{
    public static TheoryData<BinaryFunction, SimdWidth> FunctionWidths()
    {
        var data = new TheoryData<BinaryFunction, SimdWidth>();
        foreach (BinaryFunction f in Enum.GetValues<BinaryFunction>())
            foreach (SimdWidth w in KernelTestData.Widths) data.Add(f, w);
        return data;
    }

    private static float F(BinaryFunction f, float a, float b) => f switch
    {
        BinaryFunction.Add => a + b,
        BinaryFunction.Subtract => a - b,
        BinaryFunction.Multiply => a * b,
        BinaryFunction.Divide => a / b,
        BinaryFunction.Power => MathF.Pow(a, b),
        BinaryFunction.Maximum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a == b ? (float.IsNegative(a) ? b : a) : Math.Max(a, b),
        BinaryFunction.Minimum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a == b ? (float.IsNegative(a) ? a : b) : Math.Min(a, b),
        BinaryFunction.Equal => a == b ? 1 : 0,
        BinaryFunction.Less => a < b ? 1 : 0,
        BinaryFunction.LessOrEqual => a <= b ? 1 : 0,
        BinaryFunction.Greater => a > b ? 1 : 0,
        BinaryFunction.GreaterOrEqual => a >= b ? 1 : 0,
        BinaryFunction.And => a != 0 && b != 0 ? 1 : 0,
        BinaryFunction.Or => a != 0 || b != 0 ? 1 : 0,
        BinaryFunction.Xor => (a != 0) != (b != 0) ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static (float A, float B) Gradient(BinaryFunction f, float a, float b, float z, float dy) => f switch
    {
        BinaryFunction.Add => (dy, dy),
        BinaryFunction.Subtract => (dy, -dy),
        BinaryFunction.Multiply => (dy * b, dy * a),
        BinaryFunction.Divide => (dy / b, -(dy / b * z)),
        BinaryFunction.Power => (b == 0 ? 0 : dy * b * MathF.Pow(a, b - 1), a == 0 && b > 0 ? 0 : dy * z * MathF.Log(a)),
        // PyTorch's rule: ties split dy evenly; with NaN neither is below the other, so both get dy.
        BinaryFunction.Maximum => a == b ? (dy / 2, dy / 2) : (a < b ? 0 : dy, b < a ? 0 : dy),
        BinaryFunction.Minimum => a == b ? (dy / 2, dy / 2) : (a > b ? 0 : dy, b > a ? 0 : dy),
        >= BinaryFunction.Equal and <= BinaryFunction.Xor => (0, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static float[] Inputs(int n, int seed)
    {
        float[] x = KernelTestData.Inputs(n, seed);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f, 1e-40f, 2f, 0.5f];
        var rng = new Random(seed);
        for (int i = 0; i < n; i++)
            if (rng.Next(8) == 0) x[i] = specials[rng.Next(specials.Length)];
        return x;
    }

    private static void Same(float expected, float actual, Func<string> what)
    {
        if (float.IsNaN(expected) ? !float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual))
            Assert.Fail($"{what()}: got {actual:R}, expected {expected:R}");
    }

    /// <summary>The operand layouts: both full, b broadcast, a broadcast.</summary>
    private static readonly (bool A, bool B)[] Layouts = [(false, false), (false, true), (true, false)];

    [Theory, MemberData(nameof(FunctionWidths))]
    public void ForwardIsThePlainFloatComputation(BinaryFunction f, SimdWidth width)
    {
        foreach (var (scalarA, scalarB) in Layouts)
            for (int n = 0; n <= KernelTestData.MaxLength; n++)
            {
                float[] a = Inputs(scalarA ? 1 : n, n), b = Inputs(scalarB ? 1 : n, 500 + n);
                if (a.Length == 0 || b.Length == 0) { a = scalarA ? [1.5f] : a; b = scalarB ? [-0.5f] : b; }
                var z = new float[n + 1];
                z[n] = 7;
                BinaryMath.Forward(f, a, b, z.AsSpan(0, n), width);
                Assert.Equal(7, z[n]);
                for (int i = 0; i < n; i++)
                {
                    float x = a[scalarA ? 0 : i], y = b[scalarB ? 0 : i];
                    Same(F(f, x, y), z[i], () => $"{f} {width} n={n} ({x:R}, {y:R})");
                }
            }
    }

    [Theory, MemberData(nameof(FunctionWidths))]
    public void BackwardIsThePlainFloatComputation(BinaryFunction f, SimdWidth width)
    {
        foreach (var (scalarA, scalarB) in Layouts)
            for (int n = 0; n <= KernelTestData.MaxLength; n++)
            {
                float[] a = Inputs(scalarA ? 1 : n, 1000 + n), b = Inputs(scalarB ? 1 : n, 1500 + n);
                if (a.Length == 0 || b.Length == 0) { a = scalarA ? [1.5f] : a; b = scalarB ? [-0.5f] : b; }
                var z = new float[n];
                BinaryMath.Forward(f, a, b, z, SimdWidth.Scalar);
                float[] dy = KernelTestData.Uniform(n, 2000 + n, -3, 3);
                var da = new float[n];
                var db = new float[n];
                BinaryMath.Backward(f, a, b, z, dy, da, db, width);
                for (int i = 0; i < n; i++)
                {
                    float x = a[scalarA ? 0 : i], y = b[scalarB ? 0 : i];
                    var (ga, gb) = Gradient(f, x, y, z[i], dy[i]);
                    Same(ga, da[i], () => $"d{f}/da {width} n={n} ({x:R}, {y:R})");
                    Same(gb, db[i], () => $"d{f}/db {width} n={n} ({x:R}, {y:R})");
                }
                // One gradient alone, written over dy's own span.
                var onlyB = (float[])dy.Clone();
                BinaryMath.Backward(f, a, b, z, onlyB, default, onlyB, width);
                Assert.Equal(db, onlyB);
            }
    }

    /// <summary>torch.maximum's and torch.minimum's backward on ties, NaN and ±0, as PyTorch computes them.</summary>
    [Theory]
    [InlineData(2f, 2f, 1.5f, 1.5f)]
    [InlineData(0f, -0f, 1.5f, 1.5f)]
    [InlineData(3f, 2f, 3f, 0f)]
    [InlineData(float.NaN, 2f, 3f, 3f)]
    public void MaxAndMinSplitTiesEvenly(float a, float b, float maxA, float maxB)
    {
        foreach (SimdWidth width in KernelTestData.Widths)
        {
            float[] x = [.. Enumerable.Repeat(a, 19)], y = [.. Enumerable.Repeat(b, 19)], dy = [.. Enumerable.Repeat(3f, 19)];
            var z = new float[19];
            var da = new float[19];
            var db = new float[19];
            BinaryMath.Backward(BinaryFunction.Maximum, x, y, z, dy, da, db, width);
            Assert.All(da, g => Assert.Equal(maxA, g));
            Assert.All(db, g => Assert.Equal(maxB, g));
            // min(b, a) sends dy where max(a, b) does, to the first operand on the strict row (b, the smaller).
            BinaryMath.Backward(BinaryFunction.Minimum, y, x, z, dy, da, db, width);
            Assert.All(da, g => Assert.Equal(maxA, g));
            Assert.All(db, g => Assert.Equal(maxB, g));
        }
    }

    [Fact]
    public void OperandsOfAnotherLengthAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => BinaryMath.Forward(BinaryFunction.Add, new float[3], new float[2], new float[3]));
        Assert.StartsWith("b has 2 elements, expected z's 3 or one to broadcast.", e.Message);
    }
}
