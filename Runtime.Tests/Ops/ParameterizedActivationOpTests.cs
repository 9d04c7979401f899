using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// HardSigmoid and SELU with ONNX's parameters as <see cref="ActivationOp"/>: forward against a double reference and
/// backward against finite differences over shapes and batches, the attributes through a model file (a file without
/// them loads as PyTorch's constants, and those write nothing new), clear refusals, no fusion into a Dense, and no
/// allocation per call.
/// </summary>
public sealed class ParameterizedActivationOpTests
{
    private static double HardSigmoidReference(double x, double alpha, double beta) => Math.Max(0, Math.Min(1, alpha * x + beta));

    private static double SeluReference(double x, double alpha, double gamma) => gamma * (x > 0 ? x : alpha * (Math.Exp(x) - 1));

    private static OpCase HardSigmoidCase(float alpha, float beta, TensorShape shape, bool training = true) =>
        new($"hardsigmoid α={alpha} β={beta} {shape}", () => ActivationOp.HardSigmoid(alpha, beta), [shape],
            a => [Array.ConvertAll(a.Inputs[0], v => HardSigmoidReference(v, alpha, beta))])
        {
            Training = training,
            NonSmooth = true,
        };

    private static OpCase SeluCase(float alpha, float gamma, TensorShape shape, bool training = true) =>
        new($"selu α={alpha} γ={gamma} {shape}", () => ActivationOp.Selu(alpha, gamma), [shape],
            a => [Array.ConvertAll(a.Inputs[0], v => SeluReference(v, alpha, gamma))])
        {
            Training = training,
            NonSmooth = true,
        };

    [Theory]
    [InlineData(0.2f, 0.5f)]
    [InlineData(0.5f, 0.6f)]
    [InlineData(-0.25f, 0.5f)]
    [InlineData(0f, 0.3f)]
    public void HardSigmoidOnEachShape(float alpha, float beta)
    {
        OpTester.Check(HardSigmoidCase(alpha, beta, new TensorShape(1)));
        OpTester.Check(HardSigmoidCase(alpha, beta, new TensorShape(3, 4)));
        OpTester.Check(HardSigmoidCase(alpha, beta, new TensorShape(2, 3, 5), training: false));
    }

    [Theory]
    [InlineData(2f, 3f)]
    [InlineData(0f, 1f)]
    [InlineData(0.5f, 0.25f)]
    public void SeluOnEachShape(float alpha, float gamma)
    {
        OpTester.Check(SeluCase(alpha, gamma, new TensorShape(1)));
        OpTester.Check(SeluCase(alpha, gamma, new TensorShape(3, 4)));
        OpTester.Check(SeluCase(alpha, gamma, new TensorShape(2, 3, 5), training: false));
    }

    [Fact]
    public void ParametersThatCannotRunAreRefusedClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationOp.Selu(-1, 1));
        Assert.Equal("selu alpha must not be negative (the backward pass reads the output, whose sign must be the input's); got alpha -1, gamma 1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ActivationOp.HardSigmoid(float.NaN, 0.5f));
        Assert.Equal("hard-sigmoid alpha and beta must be finite numbers, got NaN and 0.5.", e.Message);
        var attributes = new OpAttributes(ActivationOp.Name).Set("activation", "selu").Set("alpha", 0.0).Set("selu_alpha", 1.0).Set("selu_gamma", 0.0);
        var bad = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(attributes));
        Assert.Contains("selu_gamma", bad.Message);
        Assert.Contains("gamma must be positive", bad.Message);
    }

    [Fact]
    public void AFileWithoutTheParametersLoadsAsPyTorchsConstantsAndTheyWriteNothingNew()
    {
        foreach (string kind in new[] { "hard-sigmoid", "selu" })
        {
            // What files wrote before the parameters: the kind and an alpha of 0, which these kinds do not read.
            var old = (ActivationOp)OpRegistry.Create(new OpAttributes(ActivationOp.Name).Set("activation", kind).Set("alpha", 0.0));
            Assert.True(old.HasDefaultParameters);
            var written = new OpAttributes(ActivationOp.Name);
            old.WriteAttributes(written);
            Assert.Equal(["activation", "alpha"], written.Names);
        }
        var hs = (ActivationOp)OpRegistry.Create(new OpAttributes(ActivationOp.Name).Set("activation", "hard-sigmoid").Set("alpha", 0.0));
        Assert.Equal((HardSigmoid.DefaultAlpha, HardSigmoid.DefaultBeta), (hs.HardSigmoidAlpha, hs.HardSigmoidBeta));
        var selu = (ActivationOp)OpRegistry.Create(new OpAttributes(ActivationOp.Name).Set("activation", "selu").Set("alpha", 0.0));
        Assert.Equal((Selu.DefaultAlpha, Selu.DefaultGamma), (selu.SeluAlpha, selu.SeluGamma));
    }

    [Fact]
    public void TheParametersSurviveAModelFileAndFreezingKeepsTheOpUnfused()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(6));
        Value h = g.Single(ActivationOp.HardSigmoid(0.5f, 0.6f), g.Dense(x, 6));
        g.Output(g.Single(ActivationOp.Selu(2f, 3f), g.Dense(h, 4)));
        using Model model = g.Build(seed: 3, maxBatch: 5);
        float[] input = [.. Enumerable.Range(0, 30).Select(i => (i % 11 - 5) * 0.7f)];
        var expected = new float[5 * 4];
        model.Predict(input, expected);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "activations.model");
        model.Save(path);
        using Model loaded = Model.Load(path);
        var ops = loaded.Graph.Nodes.Select(n => n.Op).OfType<ActivationOp>().ToArray();
        Assert.Equal((0.5f, 0.6f), (ops[0].HardSigmoidAlpha, ops[0].HardSigmoidBeta));
        Assert.Equal((2f, 3f), (ops[1].SeluAlpha, ops[1].SeluGamma));
        var actual = new float[expected.Length];
        loaded.Predict(input, actual);
        Assert.Equal(expected, actual);

        using InferenceModel frozen = InferenceModel.Freeze(loaded, new InferenceOptions { MaxBatch = 5 });
        Assert.Equal(2, frozen.Graph.Nodes.Count(n => n.Op is ActivationOp));
        var served = new float[expected.Length];
        frozen.Predict(input, 5, served);
        for (int i = 0; i < served.Length; i++) Assert.True(Math.Abs(served[i] - expected[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"output {i}");
    }

    [Fact]
    public void AStepAllocatesNothingAfterWarmUp()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(64));
        g.Output(g.Single(ActivationOp.Selu(2f, 3f), g.Single(ActivationOp.HardSigmoid(0.5f, 0.6f), x)));
        using Model model = g.Build(seed: 1, maxBatch: 8);
        var input = new float[8 * 64];
        var output = new float[8 * 64];
        model.Predict(input, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) model.Predict(input, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
