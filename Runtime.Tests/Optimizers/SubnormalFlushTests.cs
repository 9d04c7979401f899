using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Optimizers;

using Opt = OptimizerUpdates;

/// <summary>
/// The optimizer updates flush subnormals to zero in what they store (weights and state) at every width, and
/// otherwise compute what the unflushed torch.optim formulas compute, NaN and infinities included.
/// </summary>
[Trait("Category", "Kernels")]
public class SubnormalFlushTests
{
    private static readonly SimdWidth[] AllWidths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];
    private const float MinNormal = Subnormals.MinNormal;

    /// <summary>One optimizer: the kernel at a width, and the same formulas in float without any flush.</summary>
    private sealed record Case(string Name, Action<SimdWidth, float[], float[], float[], float[], int> Kernel,
        Action<float[], float[], float[], float[], int> Unflushed);

    private static readonly Case[] Cases =
    [
        new("sgd-momentum", (wd, w, g, a, b, t) => Opt.Sgd(wd, w, g, a, 0.1f, 0.9f, 0.1f, 0.01f, false, t == 1),
            (w, g, a, b, t) => Sgd(w, g, a, 0.1f, 0.9f, 0.1f, 0.01f, false, t == 1)),
        new("sgd-nesterov", (wd, w, g, a, b, t) => Opt.Sgd(wd, w, g, a, 0.1f, 0.9f, 0, 0, true, t == 1),
            (w, g, a, b, t) => Sgd(w, g, a, 0.1f, 0.9f, 0, 0, true, t == 1)),
        new("adam", (wd, w, g, a, b, t) => Opt.Adam(wd, w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, false, t),
            (w, g, a, b, t) => Adam(w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, false, t)),
        new("adamw", (wd, w, g, a, b, t) => Opt.Adam(wd, w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, true, t),
            (w, g, a, b, t) => Adam(w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, true, t)),
        new("rmsprop-momentum", (wd, w, g, a, b, t) => Opt.RmsProp(wd, w, g, a, b, 0.01f, 0.99f, 1e-8f, 0.01f, 0.9f),
            (w, g, a, b, t) => RmsProp(w, g, a, b, 0.01f, 0.99f, 1e-8f, 0.01f, 0.9f)),
        new("adagrad", (wd, w, g, a, b, t) => Opt.Adagrad(wd, w, g, a, 0.1f, 1e-10f, 0.01f, 0.1f, t),
            (w, g, a, b, t) => Adagrad(w, g, a, 0.1f, 1e-10f, 0.01f, 0.1f, t)),
    ];

    // ---- The torch.optim formulas in float, as OptimizerUpdatesScalar read before it flushed. ----

    private static void Sgd(float[] w, float[] g, float[] velocity, float lr, float momentum, float dampening, float decay, bool nesterov, bool first)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float grad = decay != 0 ? g[i] + decay * w[i] : g[i];
            velocity[i] = first ? grad : momentum * velocity[i] + (1 - dampening) * grad;
            grad = nesterov ? grad + momentum * velocity[i] : velocity[i];
            w[i] -= lr * grad;
        }
    }

    private static void Adam(float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float eps, float decay, bool decoupled, long t)
    {
        float stepSize = (float)(lr / (1 - Math.Pow(beta1, t))), inverse = (float)(1 / Math.Sqrt(1 - Math.Pow(beta2, t)));
        for (int i = 0; i < w.Length; i++)
        {
            float weight = decoupled ? w[i] * (1 - lr * decay) : w[i];
            float grad = decoupled || decay == 0 ? g[i] : g[i] + decay * weight;
            m[i] += (1 - beta1) * (grad - m[i]);
            v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
            w[i] = weight - stepSize * m[i] / (MathF.Sqrt(v[i]) * inverse + eps);
        }
    }

    private static void RmsProp(float[] w, float[] g, float[] square, float[] buffer, float lr, float alpha, float eps, float decay, float momentum)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float grad = g[i] + decay * w[i];
            square[i] = alpha * square[i] + (1 - alpha) * grad * grad;
            buffer[i] = momentum * buffer[i] + grad / (MathF.Sqrt(square[i]) + eps);
            w[i] -= lr * buffer[i];
        }
    }

    private static void Adagrad(float[] w, float[] g, float[] sum, float lr, float eps, float decay, float lrDecay, long t)
    {
        float clr = (float)(lr / (1 + (t - 1) * (double)lrDecay));
        for (int i = 0; i < w.Length; i++)
        {
            float grad = g[i] + decay * w[i];
            sum[i] += grad * grad;
            w[i] -= clr * grad / (MathF.Sqrt(sum[i]) + eps);
        }
    }

    // ---- Inputs at the edge of the normal range. ----

    /// <summary>Values a vanishing-gradient run holds: zeros, subnormals, normals a few times 2⁻¹²⁶, ordinary values.</summary>
    private static float Edge(Random random, float ordinary)
    {
        float sign = random.Next(2) == 0 ? -1 : 1;
        return random.Next(5) switch
        {
            0 => 0f,
            1 => sign * MinNormal * (float)random.NextDouble(),         // subnormal (or zero)
            2 => sign * MinNormal * (1 + 8 * (float)random.NextDouble()),   // just normal
            3 => sign * 1e-20f * (float)random.NextDouble(),            // its square underflows
            _ => sign * ordinary * (float)random.NextDouble(),
        };
    }

    private static float[] Edges(Random random, int n, float ordinary)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = Edge(random, ordinary);
        return a;
    }

    private static float[] NonNegative(float[] a) => Array.ConvertAll(a, MathF.Abs);

    private static void AssertNoSubnormal(float[] values, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if (float.IsSubnormal(values[i])) Assert.Fail($"{what}[{i}] = {values[i]:R} is subnormal");
    }

    [Fact]
    public void VanishingGradientsLeaveNoSubnormalWeightOrState()
    {
        // 37 elements: two whole 16-lane vectors and an overlapping last one at V512, the scalar path at Scalar.
        const int n = 37, steps = 1000;
        foreach (var c in Cases)
        {
            var random = new Random(11);
            float[] w0 = Edges(random, n, 2), a0 = Edges(random, n, 1e-3f), b0 = NonNegative(Edges(random, n, 1e-6f));
            // Square averages and sums are never negative.
            if (c.Name is "rmsprop-momentum" or "adagrad") a0 = NonNegative(a0);
            if (c.Name.StartsWith("rmsprop", StringComparison.Ordinal)) (a0, b0) = (NonNegative(b0), a0);
            var gradients = new float[steps][];
            // One ordinary step, then gradients that vanish: tiny, subnormal or zero.
            gradients[0] = Edges(random, n, 1);
            for (int t = 1; t < steps; t++) gradients[t] = Array.ConvertAll(Edges(random, n, 1e-30f), x => t > steps / 2 ? 0f : x);

            // Without the flush the same run holds subnormals: the test exercises what it claims.
            float[] uw = (float[])w0.Clone(), ua = (float[])a0.Clone(), ub = (float[])b0.Clone();
            int unflushed = 0;
            for (int t = 1; t <= steps; t++)
            {
                c.Unflushed(uw, gradients[t - 1], ua, ub, t);
                unflushed += Subnormals.Count(uw) + Subnormals.Count(ua) + Subnormals.Count(ub);
            }
            Assert.True(unflushed > 0, $"{c.Name}: the unflushed run never held a subnormal");

            foreach (var width in AllWidths)
            {
                float[] w = (float[])w0.Clone(), a = (float[])a0.Clone(), b = (float[])b0.Clone();
                for (int t = 1; t <= steps; t++)
                {
                    c.Kernel(width, w, gradients[t - 1], a, b, t);
                    AssertNoSubnormal(w, $"{c.Name} {width} step {t} w");
                    AssertNoSubnormal(a, $"{c.Name} {width} step {t} state");
                    if (c.Name is "adam" or "adamw" or "rmsprop-momentum") AssertNoSubnormal(b, $"{c.Name} {width} step {t} state2");
                }
            }
        }
    }

    [Fact]
    public void OneStepEqualsUnflushedUpdateWhereItIsNormalAndPropagatesNaNAndInfinity()
    {
        const int n = 53;
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        foreach (var c in Cases)
            for (int seed = 0; seed < 20; seed++)
            {
                var random = new Random(100 + seed);
                float[] w0 = Edges(random, n, 2), g = Edges(random, n, 1), a0 = Edges(random, n, 1e-3f), b0 = NonNegative(Edges(random, n, 1e-6f));
                if (c.Name is "rmsprop-momentum" or "adagrad") a0 = NonNegative(a0);
                // A few NaN and infinite weights, gradients and states.
                for (int k = 0; k < 3; k++)
                {
                    w0[random.Next(n)] = special[random.Next(3)];
                    g[random.Next(n)] = special[random.Next(3)];
                    a0[random.Next(n)] = special[random.Next(3)];
                }
                int step = 1 + random.Next(3);
                float[] rw = (float[])w0.Clone(), ra = (float[])a0.Clone(), rb = (float[])b0.Clone();
                c.Unflushed(rw, g, ra, rb, step);
                foreach (var width in AllWidths)
                {
                    float[] w = (float[])w0.Clone(), a = (float[])a0.Clone(), b = (float[])b0.Clone();
                    c.Kernel(width, w, g, a, b, step);
                    string what = $"{c.Name} {width} seed {seed}";
                    Same(rw, w, width, $"{what} w");
                    Same(ra, a, width, $"{what} state");
                    if (c.Name is "adam" or "adamw" or "rmsprop-momentum") Same(rb, b, width, $"{what} state2");
                }
            }
    }

    /// <summary>
    /// Where the unflushed value is subnormal, +0 or −0; else the same value: NaN for NaN, the same infinity, and a
    /// normal value to within 1e-29 at Scalar, which evaluates the same float expressions (a flushed subnormal, an
    /// input weight or a state, is off by less than 2⁻¹²⁶ ≈ 1.2e-38, and a weight by at most
    /// that times the step's gain, lr/(1 − β1)/ε = 1e7 for Adam's m over ε here), and within the vector kernels' usual
    /// tolerance elsewhere (FMA against mul+add).
    /// </summary>
    private static void Same(float[] expected, float[] actual, SimdWidth width, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            double tolerance = width == SimdWidth.Scalar ? 1e-29 : 1e-6 * (1 + Math.Abs(e));
            bool ok = float.IsSubnormal(e) ? a == 0
                : float.IsNaN(e) ? float.IsNaN(a)
                : float.IsInfinity(e) ? a == e
                : Math.Abs((double)a - e) <= tolerance && !float.IsSubnormal(a);
            if (!ok) Assert.Fail($"{what}[{i}]: unflushed {e:R}, got {a:R}");
        }
    }

    [Fact]
    public void FlushToZeroReplacesOnlySubnormalsAtEveryWidthAndLength()
    {
        var random = new Random(12);
        for (int n = 0; n <= 70; n++)
        {
            float[] values = Edges(random, n, 3);
            if (n > 5)
            {
                values[1] = float.NaN;
                values[2] = float.NegativeInfinity;
                values[3] = float.Epsilon;
                values[4] = -MinNormal;
                values[5] = BitConverter.Int32BitsToSingle(0x007FFFFF);   // the largest subnormal
            }
            int subnormal = Subnormals.Count(values);
            Assert.Equal(values.Count(float.IsSubnormal), subnormal);
            foreach (var width in AllWidths)
            {
                float[] flushed = (float[])values.Clone();
                Subnormals.FlushToZero(width, flushed);
                for (int i = 0; i < n; i++)
                {
                    // −0 comes back as +0, like a subnormal; nothing reads the sign of a zero weight.
                    float expected = float.IsSubnormal(values[i]) || values[i] == 0 ? 0f : values[i];
                    if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(flushed[i]) && !(float.IsNaN(expected) && float.IsNaN(flushed[i])))
                        Assert.Fail($"n={n} {width} [{i}]: {values[i]:R} became {flushed[i]:R}");
                }
                Assert.Equal(0, Subnormals.Count(flushed));
            }
        }
    }

    [Fact]
    public void CopyFlushingToZeroIsACopyThenAFlushAtEveryWidthAndLength()
    {
        var random = new Random(13);
        for (int n = 0; n <= 300; n++)
        {
            float[] values = Edges(random, n, 3);
            for (int i = 0; i + 6 < n; i += 7)
            {
                values[i] = float.Epsilon;
                values[i + 1] = -0f;
                values[i + 2] = float.NaN;
                values[i + 3] = BitConverter.Int32BitsToSingle(unchecked((int)0x807FFFFF));   // the most negative subnormal
                values[i + 4] = float.PositiveInfinity;
            }
            float[] expected = (float[])values.Clone();
            Subnormals.FlushToZero(SimdWidth.Scalar, expected);
            foreach (var width in AllWidths)
            {
                var copied = new float[n + 1];
                copied[n] = -5f;
                Subnormals.CopyFlushingToZero(width, values, copied.AsSpan(0, n));
                for (int i = 0; i < n; i++)
                    if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(copied[i]))
                        Assert.Fail($"n={n} {width} [{i}]: {values[i]:R} became {copied[i]:R}, expected {expected[i]:R}");
                Assert.Equal(-5f, copied[n]);
            }
        }
        var buffer = new float[8];
        Assert.Throws<ArgumentException>(() => Subnormals.CopyFlushingToZero(buffer.AsSpan(0, 4), buffer.AsSpan(2, 4)));
        Assert.Throws<ArgumentException>(() => Subnormals.CopyFlushingToZero(new float[3], new float[4]));
    }
}
