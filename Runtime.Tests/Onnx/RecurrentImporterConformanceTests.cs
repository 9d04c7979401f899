using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// ONNX's node cases for LSTM, GRU and RNN through the importer and the imported model, trainable and frozen. Each
/// case's W, R and B (graph inputs there) become initializers; X stays the input, its batch axis symbolic (axis 1
/// for layout 0, where the importer takes it time-first: <see cref="OnnxImportResult.InputBatchAxis"/>); the graph
/// outputs one of the node's outputs at a time (Y, then Y_h), since a model has one output. X is fed batch-first and
/// the output compared with ONNX's with its batch moved to the front (<see cref="OnnxImportResult.OutputBatchAxis"/>).
/// </summary>
[Trait("Category", "Conformance")]
public sealed class RecurrentImporterConformanceTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[]
        {
            "test_lstm_batchwise", "test_lstm_with_initial_bias", "test_gru_batchwise", "test_gru_defaults", "test_gru_with_initial_bias",
            "test_simple_rnn_batchwise", "test_simple_rnn_defaults", "test_simple_rnn_with_initial_bias",
        })
        {
            ConformanceCase c = ConformanceCase.Load(name);
            for (int o = 0; o < c.Outputs.Length; o++) data.Add(name, o);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImportedCaseMatchesOnnx(string name, int output)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        int layout = (int)node.Int("layout", 0), xBatch = layout == 0 ? 1 : 0;
        OnnxImportResult imported = OnnxImporter.Import(Rewrite(c, output, xBatch));
        using Model model = imported.Model;
        Assert.Equal(xBatch, imported.InputBatchAxis);
        Assert.IsAssignableFrom<RecurrentOp>(Assert.Single(model.Ops, o => o is RecurrentOp));

        OnnxTensor x = c.Inputs[0], expected = c.Outputs[output];
        int batch = (int)x.Dims[xBatch];
        float[] input = MoveToFront(x, xBatch);
        float[] want = MoveToFront(expected, imported.OutputBatchAxis);
        long[] wantShape = [expected.Dims[imported.OutputBatchAxis], .. expected.Dims.Where((_, i) => i != imported.OutputBatchAxis)];
        long[] shape = [batch, .. model.Graph.Outputs[0].SampleShape.ToArray().Select(d => (long)d)];
        Assert.Equal(wantShape, shape);

        var y = new float[want.Length];
        model.Predict(input, y);
        OnnxAssert.Close(want, y, $"{name} {expected.Name} imported");
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[want.Length];
        frozen.Predict(input, batch, z);
        OnnxAssert.Close(want, z, $"{name} {expected.Name} imported and frozen");
    }

    /// <summary>The case's node with W, R (and B) as initializers, X as the input and one output.</summary>
    private static byte[] Rewrite(ConformanceCase c, int output, int xBatch)
    {
        OnnxGraph graph = c.Model.Graph;
        OnnxNode node = c.Node;
        var initializers = new List<Action<ProtoWriter>>();
        for (int i = 1; i < c.Inputs.Length; i++) initializers.Add(Tensor(graph.Inputs[i].Name, [.. c.Inputs[i].Dims], c.Inputs[i].Floats.ToArray()));
        long?[] xShape = [.. c.Inputs[0].Dims.Select((d, i) => i == xBatch ? null : (long?)d)];
        OnnxTensor y = c.Outputs[output];
        return OnnxWriter.Model(
            [Node(node.OpType, [.. node.Inputs], [.. node.Outputs], [.. node.Attributes.Select(CopyAttribute)])],
            [.. initializers],
            [Value(graph.Inputs[0].Name, xShape)],
            [Value(graph.Outputs[output].Name, [.. y.Dims.Select(d => (long?)d)])],
            c.Model.Opset(""));
    }

    private static Action<ProtoWriter> CopyAttribute(OnnxAttribute a) => a.Type switch
    {
        OnnxAttributeType.Int => IntAttribute(a.Name, a.I),
        OnnxAttributeType.Float => FloatAttribute(a.Name, a.F),
        OnnxAttributeType.String => StringAttribute(a.Name, a.String),
        _ => throw new NotSupportedException($"attribute '{a.Name}' of type {a.Type} is not rewritten."),
    };

    /// <summary>The tensor's elements with axis <paramref name="axis"/> moved to the front, the others in order.</summary>
    internal static float[] MoveToFront(OnnxTensor t, int axis)
    {
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= t.Dims[i];
        for (int i = axis + 1; i < t.Dims.Count; i++) inner *= t.Dims[i];
        long size = t.Dims[axis];
        ReadOnlySpan<float> values = t.Floats;
        var moved = new float[values.Length];
        for (long o = 0; o < outer; o++)
            for (long n = 0; n < size; n++)
                values.Slice((int)((o * size + n) * inner), (int)inner).CopyTo(moved.AsSpan((int)((n * outer + o) * inner)));
        return moved;
    }
}
