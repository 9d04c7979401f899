using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>The elementwise ops and their constants (trainable, fixed, rank 0) survive a model file, serving and freezing.</summary>
public sealed class ElementwiseModelFileTests
{
    private const int Rows = 5;

    [Fact]
    public void TheBuilderRefusesConstantValuesOfAnotherCount()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(4));
        var e = Assert.Throws<ArgumentException>(() => g.Binary(BinaryFunction.Add, x, new TensorShape(4), [1, 2]));
        Assert.Equal("The constant of shape [4] holds 4 values, got 2.", e.Message);
    }

    [Fact]
    public void AGraphOfElementwiseOpsSavesLoadsAndServesTheSameOutputs()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(3, 4));
        float[] s = [0.5f, -1.5f, 2, 0.25f];
        Value h = g.Binary(BinaryFunction.Multiply, g.Unary(UnaryFunction.Erf, x), new TensorShape(4), s, trainable: true);
        h = g.Binary(BinaryFunction.Subtract, h, TensorShape.Scalar, [0.75f], constantFirst: true);
        h = g.Binary(BinaryFunction.Maximum, h, x);
        g.Output(g.Clip(h, -0.5f, 1.25f));
        using Model model = g.Build(seed: 1, maxBatch: Rows);
        Assert.Equal(4, model.ParameterCount);

        float[] input = TestModels.RandomArray(Rows * model.InputSize, 9);
        var expected = new float[Rows * model.OutputSize];
        model.Predict(input, expected);
        for (int i = 0; i < expected.Length; i++)
        {
            float v = input[i];
            float reference = Math.Clamp(MathF.Max(0.75f - s[i % 4] * (float)ActivationReference.Erf(v), v), -0.5f, 1.25f);
            Assert.True(Math.Abs(expected[i] - reference) <= 1e-6f, $"output {i}: {expected[i]} against {reference}");
        }

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "elementwise.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: Rows);
        var outputs = new float[expected.Length];
        loaded.Predict(input, outputs);
        Assert.Equal(expected, outputs);
        var constants = loaded.Ops.OfType<BinaryOp>().Where(o => o.ConstantShape is not null).ToArray();
        Assert.Equal((true, false), (constants[0].Trainable, constants[1].Trainable));

        using var served = InferenceModel.Load(path, new InferenceOptions { MaxBatch = Rows });
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        var servedOutputs = new float[expected.Length];
        var frozenOutputs = new float[expected.Length];
        served.Predict(input, Rows, servedOutputs);
        frozen.Predict(input, Rows, frozenOutputs);
        Assert.Equal(expected, servedOutputs);
        Assert.Equal(expected, frozenOutputs);
    }
}
