using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

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
}
