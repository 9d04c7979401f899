using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// PyTorch's exports of the recurrent reference networks (<c>perf/compare/lstm.onnx</c>, <c>gru.onnx</c>,
/// <c>rnn.onnx</c>: nn.LSTM / GRU / RNN(28 → 128, batch_first) and Linear on the last step, opset 17) import and give
/// PyTorch's logits within 1e-4, trainable and frozen. Around the recurrent node PyTorch writes Transposes to and
/// from time-first, a Squeeze of the directions, a Gather of the last step and a Shape subgraph for the zero
/// initial state: all of it adds no node, and the recurrent op outputs only its final state. The expected logits
/// come from PyTorch on the same weights (<c>Fixtures/make_recurrent_fixtures.py</c>), for four inputs, one of
/// them in [−2, 2) where the gates saturate.
/// </summary>
public sealed class RecurrentExportImportTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures", file);

    [Theory]
    [InlineData("lstm", typeof(LstmOp))]
    [InlineData("gru", typeof(GruOp))]
    [InlineData("rnn", typeof(RnnOp))]
    public void PyTorchExportMatchesPyTorch(string name, Type opType)
    {
        OnnxImportResult imported = OnnxImporter.Load(Fixture(name + ".onnx"));
        using Model model = imported.Model;
        Assert.Equal((0, 0), (imported.InputBatchAxis, imported.OutputBatchAxis));
        Assert.False(imported.EndsWithSoftmax);
        RecurrentOp op = Assert.IsAssignableFrom<RecurrentOp>(Assert.Single(model.Ops, o => o is RecurrentOp));
        Assert.IsType(opType, op);
        Assert.Equal((128, 28, 28, RecurrentOutputs.FinalState, false), (op.Hidden, op.Steps, op.Features, op.Outputs, op.HasInitialState));
        if (op is GruOp gru) Assert.True(gru.LinearBeforeReset);
        // The recurrent op and the Dense: the Transposes, Squeeze, Gather and shape arithmetic add no node.
        Assert.Equal(2, model.Ops.Count);

        OnnxTensor x = OnnxTensor.Load(Fixture(name + "_input.pb")), expected = OnnxTensor.Load(Fixture(name + "_logits.pb"));
        int batch = (int)x.Dims[0];
        var y = new float[expected.ElementCount];
        model.Predict(x.Floats, y);
        OnnxAssert.Close(expected, y, $"{name} imported", rtol: 1e-4, atol: 1e-4);

        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x.Floats, batch, z);
        OnnxAssert.Close(expected, z, $"{name} imported and frozen", rtol: 1e-4, atol: 1e-4);
    }
}
