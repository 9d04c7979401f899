using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Ops;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Normalization;

/// <summary>
/// LayerNormOp through the op tester (forward against a plain loop in double, backward against central differences,
/// batches 1, 2, 7 and 32) over the last axes of samples of rank 1 to 3, with and without scale and bias, in
/// training, evaluation and frozen; its settings saved and loaded; its errors; and a training step and an inference
/// call that allocate nothing. The op runs at the process's width: run these with SIMD_WIDTH set to each width (the
/// kernel's own tests run every width in one process).
/// </summary>
public sealed class LayerNormOpTests
{
    private const float Epsilon = 1e-3f;

    /// <summary>(sample shape, axis over [batch, sample…]).</summary>
    public static TheoryData<int[], int> Shapes() => new()
    {
        { [1], -1 },
        { [5], -1 },
        { [17], 1 },
        { [64], -1 },
        { [3, 4], -1 },
        { [3, 4], 1 },
        { [2, 3, 5], -1 },
        { [2, 3, 5], -2 },
        { [2, 3, 5], 1 },
        { [2, 3, 5], 2 },
    };

    private static OpCase Case(int[] shape, int axis, bool scale, bool bias, bool training = true, bool prepared = false) =>
        new($"layernorm {string.Join('x', shape)} axis {axis}{(scale ? " scale" : "")}{(bias ? " bias" : "")} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new LayerNormOp(axis, Epsilon, scale, bias), [new TensorShape(shape)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
        };

    /// <summary>Each sample's values from the axis on, as rows: (x − mean)/√(biased variance + ε)·scale + bias.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var op = (LayerNormOp)a.Op;
        int length = op.NormalizedShape.Length;
        double[] x = a.Inputs[0];
        double[]? scale = op.HasScale ? a.Tensor("scale") : null, bias = op.HasBias ? a.Tensor("bias") : null;
        var y = new double[x.Length];
        for (int row = 0; row < x.Length / length; row++)
        {
            int o = row * length;
            double mean = 0, variance = 0;
            for (int i = 0; i < length; i++) mean += x[o + i];
            mean /= length;
            for (int i = 0; i < length; i++) variance += (x[o + i] - mean) * (x[o + i] - mean);
            variance /= length;
            double rstd = 1 / Math.Sqrt(variance + Epsilon);
            for (int i = 0; i < length; i++)
                y[o + i] = (x[o + i] - mean) * rstd * (scale?[i] ?? 1) + (bias?[i] ?? 0);
        }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TrainingWithScaleAndBias(int[] shape, int axis) => OpTester.Check(Case(shape, axis, scale: true, bias: true));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TrainingWithoutScaleOrBias(int[] shape, int axis) => OpTester.Check(Case(shape, axis, scale: false, bias: false));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void TrainingWithOneOfThem(bool scale, bool bias)
    {
        OpTester.Check(Case([7], -1, scale, bias));
        OpTester.Check(Case([2, 3, 5], -2, scale, bias));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Evaluation(int[] shape, int axis) => OpTester.Check(Case(shape, axis, scale: true, bias: true, training: false));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Frozen(int[] shape, int axis) => OpTester.Check(Case(shape, axis, scale: true, bias: true, training: false, prepared: true));

    [Fact]
    public void TheNormalizedShapeFollowsTheAxis()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 3, 5));
        var ops = new[] { -1, 3, -2, 2, -3, 1 }.Select(axis => new LayerNormOp(axis)).ToArray();
        foreach (var op in ops) g.Single(op, x);
        Assert.Equal(["[5]", "[5]", "[3×5]", "[3×5]", "[2×3×5]", "[2×3×5]"], ops.Select(o => o.NormalizedShape.ToString()));
        Assert.Equal("LayerNorm([3×5])", ops[2].ToString());
    }

    [Fact]
    public void TheBatchAxisAndAxesOutsideTheSampleAreRefused()
    {
        Assert.Equal("layernorm axis 0 is the batch axis, which cannot be normalized over; expected a sample axis (1 for the first, -1 for the last).",
            Assert.Throws<ArgumentException>(() => new LayerNormOp(0)).Message);
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(3, 4));
        Assert.Contains("layernorm axis -3 of [batch, 3, 4] is the batch axis, which cannot be normalized over; expected 1 to 2 or -2 to -1.",
            Assert.Throws<ArgumentException>(() => g.LayerNorm(x, axis: -3)).Message);
        Assert.Contains("layernorm axis 3 is outside the 3 dimensions of [batch, 3, 4]; expected 1 to 2 or -2 to -1.",
            Assert.Throws<ArgumentException>(() => g.LayerNorm(x, axis: 3)).Message);
        Assert.Contains("layernorm axis -4 is outside",
            Assert.Throws<ArgumentException>(() => g.LayerNorm(x, axis: -4)).Message);
        foreach (float epsilon in (float[])[0f, -1f, float.NaN, float.PositiveInfinity])
            Assert.StartsWith("layernorm epsilon is", Assert.Throws<ArgumentException>(() => new LayerNormOp(-1, epsilon)).Message);
    }

    [Theory]
    [InlineData("axis", 0L, "layernorm attribute 'axis' is 0, the batch axis, which cannot be normalized over")]
    [InlineData("axis", 9L, "layernorm attribute 'axis' is 9, expected a value in [-9, 8].")]
    [InlineData("scale", 2L, "layernorm attribute 'scale' is 2, expected 1 (a trainable scale) or 0 (none).")]
    [InlineData("bias", -1L, "layernorm attribute 'bias' is -1, expected 1 (a trainable bias) or 0 (none).")]
    public void BadSettingsAreRefusedByName(string name, long value, string message)
    {
        var a = new OpAttributes(LayerNormOp.Name).Set("axis", -1L).Set("epsilon", 1e-5).Set(name, value);
        Assert.StartsWith(message, Assert.Throws<OpAttributeException>(() => OpRegistry.Create(a)).Message);
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(LayerNormOp.Name).Set("axis", -1L).Set("epsilon", 0.0)));
        Assert.Equal("layernorm attribute 'epsilon' is 0, expected a positive finite value.", e.Message);
    }

    /// <summary>[2, 6] samples: a LayerNorm over both axes without a scale, one over the last with both, then a Dense.</summary>
    private static Model Network(int maxBatch, long seed = 5)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 6));
        var a = g.LayerNorm(x, axis: 1, epsilon: 1e-4f, scale: false);
        var b = g.LayerNorm(g.Activation(a, ActivationKind.Tanh), axis: -1);
        g.Output(g.Dense(g.Flatten(b), 3));
        return g.Build(seed, maxBatch);
    }

    [Fact]
    public void SettingsAndParametersSurviveSavingAndLoading()
    {
        const int rows = 9;
        using var model = Network(maxBatch: 16);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { LearningRate = 0.05f });
        var x = TestModels.RandomArray(16 * 12, 3);
        var labels = Enumerable.Range(0, 16).Select(i => i % 3).ToArray();
        for (int i = 0; i < 3; i++) trainer.TrainBatch(x, 16, labels);
        var second = model.Ops.OfType<LayerNormOp>().Last();
        Assert.Contains(second.Scale.ToArray(), v => v != 1f);
        Assert.Contains(second.Bias.ToArray(), v => v != 0f);
        var expected = new float[rows * 3];
        model.Predict(x.AsSpan(0, rows * 12), expected);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "layernorm.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: 16);
        var norms = loaded.Ops.OfType<LayerNormOp>().ToArray();
        Assert.Equal([(1, 1e-4f, false, true), (-1, 1e-5f, true, true)], norms.Select(n => (n.Axis, n.Epsilon, n.HasScale, n.HasBias)));
        Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
        var actual = new float[expected.Length];
        loaded.Predict(x.AsSpan(0, rows * 12), actual);
        Assert.Equal(expected, actual);

        using var frozen = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 16 });
        var served = new float[expected.Length];
        frozen.Predict(x.AsSpan(0, rows * 12), rows, served);
        for (int i = 0; i < served.Length; i++)
            Assert.True(Math.Abs(served[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}: frozen {served[i]}, evaluated {expected[i]}");
    }

    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 32;
        using var model = Network(maxBatch: rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1 });
        var x = TestModels.RandomArray(rows * 12, 4);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(x, rows, labels);
            trainer.TrainBatch(x.AsSpan(0, 7 * 12), 7, labels.AsSpan(0, 7));
            trainer.TrainBatch(x.AsSpan(0, 12), 1, labels.AsSpan(0, 1));
        }
        Assert.Equal(0, Allocations.OnThisThread(Steps));

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows, IntraOpThreads = 1 });
        var output = new float[rows * 3];
        void Calls()
        {
            frozen.Predict(x, rows, output);
            frozen.Predict(x.AsSpan(0, 12), output.AsSpan(0, 3));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
