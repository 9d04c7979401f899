using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// Models no one here wrote, as PyTorch 1.13 exports them (<c>Fixtures/make_real_fixtures.py</c>, opset 17, a dynamic
/// batch): each imports and matches PyTorch's outputs within 1e-4, trainable and frozen. The attention block takes
/// a Linear applied to each token (MatMul over the last axis of [N, 6, 8], then Add: one Dense over 6 rows a sample),
/// the keys transposed to [N, 8, 6] and two MatMuls of computed values.
/// </summary>
public sealed class RealModelImportTests
{
    private const double Bound = 1e-4;

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures", file);

    [Theory]
    [InlineData("mlp_batchnorm_softmax")]
    [InlineData("mlp_gelu_silu")]
    [InlineData("lenet")]
    [InlineData("resnet_small")]
    [InlineData("attention")]
    public void MatchesPyTorch(string name)
    {
        OnnxImportResult imported = OnnxImporter.Load(Fixture($"real_{name}.onnx"));
        using Model model = imported.Model;
        OnnxTensor x = OnnxTensor.Load(Fixture($"real_{name}_x.pb")), expected = OnnxTensor.Load(Fixture($"real_{name}_y.pb"));
        int rows = (int)x.Dims[0];
        var y = new float[expected.ElementCount];
        model.Predict(x.Floats, y);
        if (imported.EndsWithSoftmax) Softmax.Forward(y, y, rows, model.OutputSize);
        OnnxAssert.Close(expected, y, $"{name}", Bound, Bound);

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        var served = new float[y.Length];
        frozen.Predict(x.Floats, rows, served);
        if (imported.EndsWithSoftmax) Softmax.Forward(served, served, rows, model.OutputSize);
        OnnxAssert.Close(expected, served, $"{name} frozen", Bound, Bound);
    }

    /// <summary>The imported attention block trains: gradients reach every projection through the MatMuls and the Transpose.</summary>
    [Fact]
    public void TheImportedAttentionBlockTrains()
    {
        using Model model = OnnxImporter.Load(Fixture("real_attention.onnx")).Model;
        OnnxTensor x = OnnxTensor.Load(Fixture("real_attention_x.pb")), y = OnnxTensor.Load(Fixture("real_attention_y.pb"));
        int rows = (int)x.Dims[0];
        float[] target = [.. y.Floats.ToArray().Select((v, i) => v + (i % 3 - 1) * 0.5f)];
        var before = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().Select(d => d.Weights.ToArray()).ToArray();
        var trainer = new Trainer(model, new MeanSquaredErrorLoss(), new Adam(), new TrainerOptions { LearningRate = 0.01f });
        double first = trainer.TrainBatch(x.Floats, rows, default, target), last = first;
        for (int i = 0; i < 30; i++) last = trainer.TrainBatch(x.Floats, rows, default, target);
        Assert.True(last < first * 0.9, $"the loss went from {first} to {last}");
        var after = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().Select(d => d.Weights.ToArray()).ToArray();
        Assert.Equal(3, after.Length);
        for (int d = 0; d < after.Length; d++) Assert.False(before[d].AsSpan().SequenceEqual(after[d]), $"projection {d} did not change");
    }
}
