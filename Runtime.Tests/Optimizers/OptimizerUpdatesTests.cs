using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Optimizers;

using Opt = OptimizerUpdates;

[Trait("Category", "Kernels")]
public class OptimizerUpdatesTests
{
    private static readonly SimdWidth[] AllWidths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    private static float[] Uniform(Random random, int n, float low, float high)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = low + (high - low) * (float)random.NextDouble();
        return a;
    }

    // ---- One step of one element by hand (w = 1, g = 0.5), the numbers worked out in the comments. ----

    [Fact]
    public void SgdFirstStepsByHand()
    {
        foreach (var width in AllWidths)
        {
            // Momentum 0.9, weight decay 0.01. Step 1: g' = 0.5 + 0.01·1 = 0.51, buf = g' = 0.51, w = 1 − 0.1·0.51 = 0.949.
            float[] w = [1], v = [0];
            Opt.Sgd(width, w, [0.5f], v, 0.1f, 0.9f, 0, 0.01f, nesterov: false, firstStep: true);
            Assert.Equal(0.949f, w[0], 6);
            Assert.Equal(0.51f, v[0], 6);
            // Step 2: g' = 0.5 + 0.01·0.949 = 0.50949, buf = 0.9·0.51 + 0.50949 = 0.96849, w = 0.949 − 0.096849 = 0.852151.
            Opt.Sgd(width, w, [0.5f], v, 0.1f, 0.9f, 0, 0.01f, nesterov: false, firstStep: false);
            Assert.Equal(0.96849f, v[0], 6);
            Assert.Equal(0.852151f, w[0], 6);
            // Nesterov step 1: buf = 0.51, step = 0.51 + 0.9·0.51 = 0.969, w = 1 − 0.0969 = 0.9031.
            w = [1]; v = [0];
            Opt.Sgd(width, w, [0.5f], v, 0.1f, 0.9f, 0, 0.01f, nesterov: true, firstStep: true);
            Assert.Equal(0.9031f, w[0], 6);
            // Plain SGD without a velocity buffer: w = 1 − 0.1·0.5 = 0.95.
            w = [1];
            Opt.Sgd(width, w, [0.5f], [], 0.1f, 0, 0, 0, nesterov: false, firstStep: true);
            Assert.Equal(0.95f, w[0], 6);
        }
    }

    [Fact]
    public void AdamFirstStepByHand()
    {
        foreach (var width in AllWidths)
        {
            // m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; corrections 1 − 0.9 = 0.1 and 1 − 0.999 = 0.001:
            // step size 0.1/0.1 = 1, denominator sqrt(0.00025)/sqrt(0.001) + 1e-8 = 0.5 + 1e-8, w = 1 − 0.05/0.5 = 0.9.
            float[] w = [1], m = [0], v = [0];
            Opt.Adam(width, w, [0.5f], m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1);
            Assert.Equal(0.9f, w[0], 6);
            Assert.Equal(0.05f, m[0], 7);
            Assert.Equal(0.00025f, v[0], 8);
            // AdamW, decay 0.01: w = 1·(1 − 0.1·0.01) = 0.999 first, then the same 0.1 step: 0.899.
            w = [1]; m = [0]; v = [0];
            Opt.Adam(width, w, [0.5f], m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 1);
            Assert.Equal(0.899f, w[0], 6);
            // Adam with L2 0.01: g' = 0.51, and the first step is still lr·g'/|g'| = 0.1: w = 0.9.
            w = [1]; m = [0]; v = [0];
            Opt.Adam(width, w, [0.5f], m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 1);
            Assert.Equal(0.9f, w[0], 6);
            Assert.Equal(0.051f, m[0], 7);
        }
    }

    [Fact]
    public void RmsPropAndAdagradFirstStepsByHand()
    {
        foreach (var width in AllWidths)
        {
            // RMSprop: sq = 0.01·0.25 = 0.0025, sqrt = 0.05, w = 1 − 0.01·0.5/0.05 = 0.9.
            float[] w = [1], sq = [0];
            Opt.RmsProp(width, w, [0.5f], sq, [], 0.01f, 0.99f, 1e-8f, 0, 0);
            Assert.Equal(0.9f, w[0], 6);
            Assert.Equal(0.0025f, sq[0], 8);
            // With momentum 0.5: buf = 0.5/0.05 = 10 on the first step; second step, g = 0.5 again:
            // sq = 0.99·0.0025 + 0.0025 = 0.004975, buf = 0.5·10 + 0.5/sqrt(0.004975) = 5 + 7.08881, w = 0.9 − 0.01·12.08881.
            w = [1]; sq = [0]; float[] buf = [0];
            Opt.RmsProp(width, w, [0.5f], sq, buf, 0.01f, 0.99f, 1e-8f, 0, 0.5f);
            Assert.Equal(10f, buf[0], 4);
            Opt.RmsProp(width, w, [0.5f], sq, buf, 0.01f, 0.99f, 1e-8f, 0, 0.5f);
            Assert.Equal(5 + 0.5 / Math.Sqrt(0.004975), buf[0], 4);
            Assert.Equal(0.9 - 0.01 * (5 + 0.5 / Math.Sqrt(0.004975)), w[0], 5);
            // Adagrad: sum = 0.25, w = 1 − 0.1·0.5/0.5 = 0.9; step 2 with lr decay 0.5: clr = 0.1/1.5,
            // sum = 0.5, w = 0.9 − (0.1/1.5)·0.5/sqrt(0.5) = 0.8528595.
            w = [1]; float[] sum = [0];
            Opt.Adagrad(width, w, [0.5f], sum, 0.1f, 1e-10f, 0, 0.5f, 1);
            Assert.Equal(0.9f, w[0], 6);
            Opt.Adagrad(width, w, [0.5f], sum, 0.1f, 1e-10f, 0, 0.5f, 2);
            Assert.Equal(0.5f, sum[0], 7);
            Assert.Equal(0.8528595f, w[0], 6);
        }
    }

    // ---- Several steps against the torch.optim formulas evaluated in double. ----

    private const int Steps = 4;
    private const int Length = 37;

    /// <summary>Four steps in float accumulate a few ulps per step: 2e-6 relative to (1 + |w|) leaves margin for FMA.</summary>
    private static void Near(double[] expected, float[] actual, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])))) Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    private static (float[] W, float[][] G) Problem(int seed)
    {
        var random = new Random(seed);
        float[] w = Uniform(random, Length, -2, 2);
        var g = new float[Steps][];
        for (int s = 0; s < Steps; s++) g[s] = Uniform(random, Length, -1, 1);
        return (w, g);
    }

    [Theory]
    [InlineData(0f, 0f, 0f, false)]
    [InlineData(0.9f, 0f, 0f, false)]
    [InlineData(0.9f, 0.1f, 0.01f, false)]
    [InlineData(0.9f, 0f, 0.01f, true)]
    public void SgdSeveralStepsMatchTorchFormulas(float momentum, float dampening, float decay, bool nesterov)
    {
        var (w0, g) = Problem(1);
        const float lr = 0.05f;
        // torch.optim.SGD: d = g + wd·w; buf = d (first step) or momentum·buf + (1 − dampening)·d;
        // d = nesterov ? d + momentum·buf : buf; w −= lr·d.
        double[] w = Array.ConvertAll(w0, v => (double)v), buf = new double[Length];
        for (int s = 0; s < Steps; s++)
            for (int i = 0; i < Length; i++)
            {
                double d = g[s][i] + (double)decay * w[i];
                if (momentum != 0)
                {
                    buf[i] = s == 0 ? d : momentum * buf[i] + (1 - (double)dampening) * d;
                    d = nesterov ? d + momentum * buf[i] : buf[i];
                }
                w[i] -= lr * d;
            }
        foreach (var width in AllWidths)
        {
            float[] wf = (float[])w0.Clone(), velocity = new float[momentum != 0 ? Length : 0];
            for (int s = 0; s < Steps; s++) Opt.Sgd(width, wf, g[s], velocity, lr, momentum, dampening, decay, nesterov, s == 0);
            Near(w, wf, 2e-6, $"w {width}");
        }
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.01f, false)]
    [InlineData(0.01f, true)]
    public void AdamSeveralStepsMatchTorchFormulas(float decay, bool decoupled)
    {
        var (w0, g) = Problem(2);
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        // torch.optim.Adam/AdamW: (AdamW) w ·= 1 − lr·wd, (Adam) g += wd·w; m = β1·m + (1 − β1)·g;
        // v = β2·v + (1 − β2)·g²; w −= lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps).
        double[] w = Array.ConvertAll(w0, v => (double)v), m = new double[Length], v = new double[Length];
        for (int t = 1; t <= Steps; t++)
            for (int i = 0; i < Length; i++)
            {
                if (decoupled) w[i] *= 1 - (double)lr * decay;
                double d = g[t - 1][i] + (decoupled ? 0 : decay * w[i]);
                m[i] = beta1 * m[i] + (1 - (double)beta1) * d;
                v[i] = beta2 * v[i] + (1 - (double)beta2) * d * d;
                double denominator = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(beta2, t)) + eps;
                w[i] -= lr / (1 - Math.Pow(beta1, t)) * m[i] / denominator;
            }
        foreach (var width in AllWidths)
        {
            float[] wf = (float[])w0.Clone(), mf = new float[Length], vf = new float[Length];
            for (int t = 1; t <= Steps; t++) Opt.Adam(width, wf, g[t - 1], mf, vf, lr, beta1, beta2, eps, decay, decoupled, t);
            Near(w, wf, 2e-6, $"w {width}");
            Near(m, mf, 1e-5, $"m {width}");
        }
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.01f, 0.9f)]
    public void RmsPropSeveralStepsMatchTorchFormulas(float decay, float momentum)
    {
        var (w0, g) = Problem(3);
        const float lr = 0.01f, alpha = 0.99f, eps = 1e-8f;
        // torch.optim.RMSprop: d = g + wd·w; sq = α·sq + (1 − α)·d²; a = d/(sqrt(sq) + eps);
        // momentum: buf = momentum·buf + a, w −= lr·buf; else w −= lr·a.
        double[] w = Array.ConvertAll(w0, v => (double)v), sq = new double[Length], buf = new double[Length];
        for (int s = 0; s < Steps; s++)
            for (int i = 0; i < Length; i++)
            {
                double d = g[s][i] + (double)decay * w[i];
                sq[i] = alpha * sq[i] + (1 - (double)alpha) * d * d;
                double a = d / (Math.Sqrt(sq[i]) + eps);
                if (momentum > 0) a = buf[i] = momentum * buf[i] + a;
                w[i] -= lr * a;
            }
        foreach (var width in AllWidths)
        {
            float[] wf = (float[])w0.Clone(), sqf = new float[Length], bf = new float[momentum > 0 ? Length : 0];
            for (int s = 0; s < Steps; s++) Opt.RmsProp(width, wf, g[s], sqf, bf, lr, alpha, eps, decay, momentum);
            Near(w, wf, 2e-6, $"w {width}");
        }
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(0.01f, 0.1f)]
    public void AdagradSeveralStepsMatchTorchFormulas(float decay, float lrDecay)
    {
        var (w0, g) = Problem(4);
        const float lr = 0.1f, eps = 1e-10f;
        // torch.optim.Adagrad: d = g + wd·w; clr = lr/(1 + (t − 1)·lr_decay); sum += d²; w −= clr·d/(sqrt(sum) + eps).
        double[] w = Array.ConvertAll(w0, v => (double)v), sum = new double[Length];
        for (int t = 1; t <= Steps; t++)
            for (int i = 0; i < Length; i++)
            {
                double d = g[t - 1][i] + (double)decay * w[i];
                double clr = lr / (1 + (t - 1) * (double)lrDecay);
                sum[i] += d * d;
                w[i] -= clr * d / (Math.Sqrt(sum[i]) + eps);
            }
        foreach (var width in AllWidths)
        {
            float[] wf = (float[])w0.Clone(), sf = new float[Length];
            for (int t = 1; t <= Steps; t++) Opt.Adagrad(width, wf, g[t - 1], sf, lr, eps, decay, lrDecay, t);
            Near(w, wf, 2e-6, $"w {width}");
        }
    }

    // ---- Every length 0..300, every width against the scalar reference, two steps so state is read back. ----

    private delegate void Update(SimdWidth width, float[] w, float[] g, float[] s1, float[] s2, int step);

    private static readonly (string Name, Update Run)[] Updates =
    [
        ("sgd", (wd, w, g, a, b, t) => Opt.Sgd(wd, w, g, [], 0.1f, 0, 0, 0, false, t == 1)),
        ("sgd-momentum", (wd, w, g, a, b, t) => Opt.Sgd(wd, w, g, a, 0.1f, 0.9f, 0.1f, 0.01f, false, t == 1)),
        ("sgd-nesterov", (wd, w, g, a, b, t) => Opt.Sgd(wd, w, g, a, 0.1f, 0.9f, 0, 0.01f, true, t == 1)),
        ("adam", (wd, w, g, a, b, t) => Opt.Adam(wd, w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, false, t)),
        ("adamw", (wd, w, g, a, b, t) => Opt.Adam(wd, w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, true, t)),
        ("rmsprop", (wd, w, g, a, b, t) => Opt.RmsProp(wd, w, g, a, [], 0.01f, 0.99f, 1e-8f, 0, 0)),
        ("rmsprop-momentum", (wd, w, g, a, b, t) => Opt.RmsProp(wd, w, g, a, b, 0.01f, 0.99f, 1e-8f, 0.01f, 0.9f)),
        ("adagrad", (wd, w, g, a, b, t) => Opt.Adagrad(wd, w, g, a, 0.1f, 1e-10f, 0.01f, 0.1f, t)),
    ];

    [Fact]
    public void EveryLengthEveryWidthMatchesScalarReference()
    {
        var random = new Random(5);
        for (int n = 0; n <= 300; n++)
        {
            float[] w0 = Uniform(random, n, -2, 2), g1 = Uniform(random, n, -1, 1), g2 = Uniform(random, n, -1, 1);
            foreach (var (name, run) in Updates)
            {
                float[] w = (float[])w0.Clone(), a = new float[n], b = new float[n];
                run(SimdWidth.Scalar, w, g1, a, b, 1);
                run(SimdWidth.Scalar, w, g2, a, b, 2);
                foreach (var width in (SimdWidth[])[SimdWidth.V128, SimdWidth.V256, SimdWidth.V512])
                {
                    float[] wv = (float[])w0.Clone(), av = new float[n], bv = new float[n];
                    run(width, wv, g1, av, bv, 1);
                    run(width, wv, g2, av, bv, 2);
                    // FMA against mul+add, a divide and a square root per step: a few ulps over two steps.
                    for (int i = 0; i < n; i++)
                    {
                        if (!(Math.Abs(w[i] - wv[i]) <= 1e-6 * (1 + Math.Abs(w[i])))) Assert.Fail($"{name} {width} n={n} w[{i}]: {w[i]} vs {wv[i]}");
                        if (!(Math.Abs(a[i] - av[i]) <= 1e-5 * (1 + Math.Abs(a[i])))) Assert.Fail($"{name} {width} n={n} state[{i}]: {a[i]} vs {av[i]}");
                        if (!(Math.Abs(b[i] - bv[i]) <= 1e-5 * (1 + Math.Abs(b[i])))) Assert.Fail($"{name} {width} n={n} state2[{i}]: {b[i]} vs {bv[i]}");
                    }
                }
            }
        }
    }

    [Fact]
    public void NaNGradientPoisonsOnlyItsParameter()
    {
        const int n = 21;
        foreach (var width in AllWidths)
            foreach (var (name, run) in Updates)
            {
                var random = new Random(6);
                float[] w = Uniform(random, n, -2, 2), g = Uniform(random, n, -1, 1), a = new float[n], b = new float[n];
                g[3] = float.NaN;
                g[20] = float.NaN;
                run(width, w, g, a, b, 1);
                for (int i = 0; i < n; i++) Assert.True((i is 3 or 20) == float.IsNaN(w[i]), $"{name} {width} w[{i}] = {w[i]}");
            }
    }

    [Fact]
    public void InfiniteWeightWithoutDecayStaysInfinite()
    {
        // PyTorch skips a zero decay term; computing 0·∞ would turn the weight into NaN.
        foreach (var width in AllWidths)
        {
            float[] w = new float[17];
            w[16] = float.PositiveInfinity;
            Opt.Sgd(width, w, new float[17], [], 0.1f, 0, 0, 0, false, true);
            Assert.Equal(float.PositiveInfinity, w[16]);
            Opt.Adam(width, w, new float[17], new float[17], new float[17], 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1);
            Assert.Equal(float.PositiveInfinity, w[16]);
        }
    }

    [Fact]
    public void CallsAllocateNothingAfterWarmUp()
    {
        var random = new Random(7);
        const int n = 1000;
        float[] w = Uniform(random, n, -1, 1), g = Uniform(random, n, -1, 1), a = new float[n], b = new float[n];
        void All()
        {
            Opt.Sgd(w, g, a, 0.1f, 0.9f, 0, 0.01f, true, false);
            Opt.Adam(w, g, a, b, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 3);
            Opt.RmsProp(w, g, a, b, 0.01f, 0.99f, 1e-8f, 0, 0.9f);
            Opt.Adagrad(w, g, a, 0.1f, 1e-10f, 0, 0, 2);
        }
        Assert.Equal(0, Allocations.OnThisThread(All));
    }

    [Fact]
    public void MismatchedLengthsNameExpectedAndActual()
    {
        float[] w = new float[10], g9 = new float[9], s = new float[10];
        var e = Assert.Throws<ArgumentException>(() => Opt.Sgd(w, g9, [], 0.1f, 0, 0, 0, false, true));
        Assert.Equal("g", e.ParamName);
        Assert.Contains("9", e.Message);
        Assert.Contains("10", e.Message);
        e = Assert.Throws<ArgumentException>(() => Opt.Sgd(w, s, [], 0.1f, 0.9f, 0, 0, false, true));
        Assert.Equal("velocity", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Opt.Adam(w, s, s, g9, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 1));
        Assert.Equal("v", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Opt.RmsProp(w, s, s, g9, 0.1f, 0.99f, 1e-8f, 0, 0.9f));
        Assert.Equal("momentumBuffer", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Opt.Adagrad(w, s, g9, 0.1f, 1e-10f, 0, 0, 1));
        Assert.Equal("sum", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Opt.Adam(w, s, s, s, 0.1f, 0.9f, 0.999f, 1e-8f, 0, false, 0));
        // Momentum 0: SGD and RMSprop take an empty buffer.
        Opt.Sgd(w, s, [], 0.1f, 0, 0, 0, false, true);
        Opt.RmsProp(w, s, s, [], 0.1f, 0.99f, 1e-8f, 0, 0);
    }
}
