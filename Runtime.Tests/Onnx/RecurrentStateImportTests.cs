using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Onnx.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// PyTorch's exports of sequence models that take their initial states as inputs and return two outputs
/// (<c>Fixtures/make_state_fixtures.py</c>: an LSTM fed x, h0, c0 and a GRU fed x, h0, each giving its logits and
/// h_n): the import takes every input and gives every output, with the states' batch on ONNX's axis 1 moved to the
/// front, and matches PyTorch's outputs within 1e-5, trainable and frozen.
/// </summary>
public sealed class RecurrentStateImportTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures", file);

    [Theory]
    [InlineData("lstm", new[] { "x", "h0", "c0" })]
    [InlineData("gru", new[] { "x", "h0" })]
    public void StatesInLogitsAndFinalStateOutMatchPyTorch(string cell, string[] inputNames)
    {
        OnnxImportResult imported = OnnxImporter.Load(Fixture($"{cell}_states.onnx"));
        using Model model = imported.Model;
        Assert.Equal(inputNames, model.Graph.Inputs.Select(v => v.Name));
        Assert.Equal(2, model.OutputCount);   // logits, h_n
        // x is batch-first ([N, steps, features], Transposed for the node); the states are [1, N, hidden]; so is h_n.
        Assert.Equal([0, .. Enumerable.Repeat(1, inputNames.Length - 1)], imported.InputBatchAxes);
        Assert.Equal([0, 1], imported.OutputBatchAxes);

        OnnxTensor[] inputs = [.. inputNames.Select(n => OnnxTensor.Load(Fixture($"{cell}_states_{n}.pb")))];
        OnnxTensor logits = OnnxTensor.Load(Fixture($"{cell}_states_logits.pb")), hn = OnnxTensor.Load(Fixture($"{cell}_states_h_n.pb"));
        int batch = (int)inputs[0].Dims[0];
        ReadOnlyMemory<float>[] fed = [.. inputs.Select((t, k) => (ReadOnlyMemory<float>)BatchAxisOrder.ToFront(t.Floats, t.Dims, imported.InputBatchAxes[k]))];
        var y = new float[logits.ElementCount];
        var h = new float[hn.ElementCount];
        model.Predict(fed, [y, h]);
        OnnxAssert.Close(logits, y, $"{cell} logits");
        OnnxAssert.Close(hn, BatchAxisOrder.FromFront(h, hn.Dims, 1), $"{cell} h_n");

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = batch });
        var yf = new float[y.Length];
        var hf = new float[h.Length];
        frozen.Predict(fed, batch, [yf, hf]);
        OnnxAssert.Close(logits, yf, $"{cell} logits frozen");
        OnnxAssert.Close(hn, BatchAxisOrder.FromFront(hf, hn.Dims, 1), $"{cell} h_n frozen");
    }
}
