using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// A model of several inputs and outputs exports with each as a graph input or output, in order: the lengths of a
/// recurrent layer as ONNX's Int32 sequence_lens [N], the rest float with the symbolic batch first; our importer
/// reads it back into a model that predicts the same.
/// </summary>
public sealed class OnnxExportSeveralInputsTests
{
    [Fact]
    public void LengthsAndStatesExportAsGraphInputsAndImportBack()
    {
        using Model model = ExportSequenceWithLengths.Create();
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxModel onnx = OnnxModel.Read(stream.ToArray());
        Assert.Equal(["x", "h0", "c0", "lengths"], onnx.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(OnnxDataType.Int32, onnx.Graph.Inputs[3].ElementType);
        Assert.Single(onnx.Graph.Inputs[3].Shape!);
        Assert.Equal(2, onnx.Graph.Outputs.Count);
        Assert.Equal("lengths", onnx.Graph.Nodes.Single(n => n.OpType == "LSTM").Inputs[4]);

        using Model back = OnnxImporter.Import(onnx).Model;
        const int rows = 7;
        float[][] x = ExportSequenceWithLengths.Inputs(rows);
        ReadOnlyMemory<float>[] inputs = [.. x.Select(a => (ReadOnlyMemory<float>)a)];
        float[] logits = new float[rows * ExportSequenceWithLengths.Classes], state = new float[rows * ExportSequenceWithLengths.Hidden];
        float[] logitsBack = new float[logits.Length], stateBack = new float[state.Length];
        model.Predict(inputs, [logits, state]);
        back.Predict(inputs, [logitsBack, stateBack]);
        Assert.Equal(logits, logitsBack);
        Assert.Equal(state, stateBack);
    }
}
