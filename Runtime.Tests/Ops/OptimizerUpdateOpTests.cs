using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Adam, Adagrad and Momentum (standard and nesterov) as graph ops: forward against ONNX's formulas written out in
/// double over shapes, batches (each row its own R and T, T = 0 among them) and several tensors at once; their
/// backward refuses, naming why; the attributes survive a model file; the exporter refuses them; a call
/// allocates nothing after warm-up.
/// </summary>
public sealed class OptimizerUpdateOpTests
{
    private static readonly TensorShape[] Shapes = [new(5), new(2, 3)];

    /// <summary>R, T, then the groups of n tensors: H (Adam's and Adagrad's second group of state) must not be negative.</summary>
    private static TensorShape[] Inputs(int groups) => [new(1), new(1), .. Enumerable.Range(0, groups).SelectMany(_ => Shapes)];

    private static Func<int, int, float[]?> Values(int groups, int nonNegativeGroup)
    {
        return (input, rows) =>
        {
            if (input == 0) return [.. Enumerable.Range(0, rows).Select(r => 0.05f + 0.1f * r)];
            if (input == 1) return [.. Enumerable.Range(0, rows).Select(r => (float)(r % 3))];
            int group = (input - 2) / Shapes.Length;
            if (group != nonNegativeGroup) return null;
            int length = Shapes[(input - 2) % Shapes.Length].Length * rows;
            return [.. Enumerable.Range(0, length).Select(i => 0.1f + (i * 37 % 11) * 0.05f)];
        };
    }

    /// <summary>Per row of every input group: the values of tensor t.</summary>
    private static double[] Slice(double[] batch, int row, int length) => batch.AsSpan(row * length, length).ToArray();

    private static double[][] Reference(OpReferenceArgs a, int states, Func<double, long, double[], double[], double[][], double[][]> update)
    {
        int n = Shapes.Length;
        var outputs = new double[(1 + states) * n][];
        for (int o = 0; o < outputs.Length; o++) outputs[o] = new double[a.Rows * Shapes[o % n].Length];
        for (int row = 0; row < a.Rows; row++)
        {
            double rate = a.Inputs[0][row];
            long count = (long)a.Inputs[1][row];
            for (int t = 0; t < n; t++)
            {
                int length = Shapes[t].Length;
                double[] x = Slice(a.Inputs[2 + t], row, length), g = Slice(a.Inputs[2 + n + t], row, length);
                double[][] state = [.. Enumerable.Range(0, states).Select(s => Slice(a.Inputs[2 + (2 + s) * n + t], row, length))];
                double[][] result = update(rate, count, x, g, state);
                for (int o = 0; o <= states; o++) result[o].CopyTo(outputs[o * n + t], row * length);
            }
        }
        return outputs;
    }

    [Theory]
    [InlineData(0.9f, 0.999f, 1e-6f, 0f, 0f)]
    [InlineData(0.5f, 0.8f, 1e-2f, 0.1f, 0.05f)]
    public void AdamIsOnnxsFormula(float alpha, float beta, float epsilon, float norm, float post)
    {
        OpTester.Check(new OpCase($"adam α={alpha} β={beta}", () => new AdamOp(2, alpha, beta, epsilon, norm, post), Inputs(4),
            a => Reference(a, 2, (r, t, x, g, s) =>
            {
                double[] v = s[0], h = s[1];
                for (int i = 0; i < x.Length; i++)
                {
                    double gr = norm * x[i] + g[i];
                    v[i] = alpha * v[i] + (1 - alpha) * gr;
                    h[i] = beta * h[i] + (1 - beta) * gr * gr;
                    double rate = t > 0 ? r * Math.Sqrt(1 - Math.Pow(beta, t)) / (1 - Math.Pow(alpha, t)) : r;
                    x[i] = (x[i] - rate * v[i] / (Math.Sqrt(h[i]) + epsilon)) * (1 - post);
                }
                return [x, v, h];
            }))
        {
            CheckBackward = false,
            InputValues = Values(4, nonNegativeGroup: 3),
            ForwardTolerance = 1e-4,
        });
    }

    [Theory]
    [InlineData(0.1f, 1e-6f, 0f)]
    [InlineData(0f, 1e-2f, 0.3f)]
    public void AdagradIsOnnxsFormula(float decayFactor, float epsilon, float norm)
    {
        OpTester.Check(new OpCase($"adagrad decay={decayFactor}", () => new AdagradOp(2, decayFactor, epsilon, norm), Inputs(3),
            a => Reference(a, 1, (r, t, x, g, s) =>
            {
                double[] h = s[0];
                double rate = r / (1 + t * decayFactor);
                for (int i = 0; i < x.Length; i++)
                {
                    double gr = norm * x[i] + g[i];
                    h[i] += gr * gr;
                    x[i] -= rate * gr / (Math.Sqrt(h[i]) + epsilon);
                }
                return [x, h];
            }))
        {
            CheckBackward = false,
            InputValues = Values(3, nonNegativeGroup: 2),
            ForwardTolerance = 1e-4,
        });
    }

    [Theory]
    [InlineData(0.9f, 0.1f, 0f, false)]
    [InlineData(0.9f, 0.1f, 0.01f, true)]
    [InlineData(0f, 0.5f, 0.2f, false)]
    [InlineData(0f, 0.5f, 0.2f, true)]
    public void MomentumIsOnnxsFormula(float alpha, float beta, float norm, bool nesterov)
    {
        OpTester.Check(new OpCase($"momentum α={alpha} β={beta} nesterov={nesterov}", () => new MomentumOp(2, alpha, beta, norm, nesterov), Inputs(3),
            a => Reference(a, 1, (r, t, x, g, s) =>
            {
                double[] v = s[0];
                double scale = t > 0 ? beta : 1;
                for (int i = 0; i < x.Length; i++)
                {
                    double gr = norm * x[i] + g[i];
                    v[i] = alpha * v[i] + scale * gr;
                    x[i] -= r * (nesterov ? gr + alpha * v[i] : v[i]);
                }
                return [x, v];
            }))
        {
            CheckBackward = false,
            InputValues = Values(3, nonNegativeGroup: -1),
            ForwardTolerance = 1e-5,
        });
    }

    private static Model AdamModel(out int inputs)
    {
        var g = new GraphBuilder();
        Value[] values = [g.Input(new TensorShape(1), "R"), g.Input(new TensorShape(1), "T"), .. Enumerable.Range(0, 4).Select(i => g.Input(new TensorShape(4), $"t{i}"))];
        inputs = values.Length;
        foreach (Value output in g.Node(new AdamOp(1, 0.9f, 0.99f, 1e-3f, 0.01f), values)) g.Output(output);
        return g.Build(seed: 1, maxBatch: 2);
    }

    [Fact]
    public void TheBackwardPassRefusesSayingAnUpdateIsNotDifferentiable()
    {
        // A Dense computes the gradient G: its weights would train through the update, which has no gradient.
        var g = new GraphBuilder();
        Value[] values = [g.Input(new TensorShape(1), "R"), g.Input(new TensorShape(1), "T"), .. Enumerable.Range(0, 4).Select(i => g.Input(new TensorShape(4), $"t{i}"))];
        values[3] = g.Dense(values[3], 4);
        foreach (Value output in g.Node(new AdamOp(1, 0.9f, 0.99f, 1e-3f, 0.01f), values)) g.Output(output);
        using Model model = g.Build(seed: 1, maxBatch: 2);
        for (int i = 0; i < 6; i++) model.InputBuffer(i, 1).Fill(0.5f);
        model.InputBuffer(1, 1).Fill(2);
        model.Forward(1, training: true);
        var e = Assert.Throws<InvalidOperationException>(() => model.Backward(1));
        Assert.Equal("adam-update: an optimizer update is not differentiable; a model with one runs forward only (predict, serve), it cannot be trained through it.", e.Message);
        model.InputBuffer(1, 1).Fill(1.5f);
        e = Assert.Throws<InvalidOperationException>(() => model.Forward(1, training: false));
        Assert.Equal("adam-update: the update count T is 1.5; expected a whole number of at least 0.", e.Message);
    }

    [Fact]
    public void TheAttributesSurviveAModelFileAndTheExporterRefuses()
    {
        foreach (Op op in new Op[] { new AdamOp(3, 0.8f, 0.9f, 1e-4f, 0.1f, 0.2f), new AdagradOp(2, 0.5f, 1e-5f, 0.3f), new MomentumOp(1, 0.7f, 0.6f, 0.2f, nesterov: true) })
        {
            var written = new OpAttributes(op.Kind);
            op.WriteAttributes(written);
            Op back = OpRegistry.Create(written);
            var reread = new OpAttributes(op.Kind);
            back.WriteAttributes(reread);
            Assert.Equal(written.ToString(), reread.ToString());
        }
        var bad = new OpAttributes(MomentumOp.Name).Set("tensors", 1).Set("alpha", 0.5).Set("beta", 0.5).Set("mode", "heavy");
        Assert.Contains("'heavy', expected 'standard' or 'nesterov'", Assert.Throws<OpAttributeException>(() => OpRegistry.Create(bad)).Message);

        using Model model = AdamModel(out _);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model));
        Assert.Contains("is an optimizer update (ONNX's ai.onnx.preview.training), which the exporter does not write", e.Message);
    }

    [Fact]
    public void AStepAllocatesNothingAfterWarmUp()
    {
        using Model model = AdamModel(out int inputs);
        using InferenceModel frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 2 });
        ReadOnlyMemory<float>[] x = [.. Enumerable.Range(0, inputs).Select(i => (ReadOnlyMemory<float>)(i == 0 ? new float[] { 0.1f, 0.2f } : i == 1 ? new float[] { 0, 3 } : new float[8]))];
        Memory<float>[] y = [.. Enumerable.Range(0, 3).Select(_ => (Memory<float>)new float[8])];
        frozen.Predict(x, 2, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) frozen.Predict(x, 2, y);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
