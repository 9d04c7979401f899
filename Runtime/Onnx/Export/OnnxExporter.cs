using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Writes a model's graph as ONNX, the inverse of <see cref="OnnxImporter"/>: one node or a few per op (table below,
/// keyed by op kind), the weights and running statistics as float initializers in ONNX's layouts (which are the ops'
/// own), the graph input [batch, sample…] and output with the batch as the symbolic dimension "batch". The whole
/// model is written into memory first, so an op with no ONNX form is refused before any file is touched.
/// </summary>
internal static class OnnxExporter
{
    /// <summary>The default-domain opset written unless an op needs a later one (Mish 18, dilated AveragePool and wrap Pad 19, Gelu 20).</summary>
    public const long BaseOpset = 17;

    /// <summary>The symbolic batch dimension of the graph's input and output.</summary>
    public const string BatchDimension = "batch";

    private static readonly Dictionary<string, Action<ExportContext, Node>> Exports = new(StringComparer.Ordinal)
    {
        [DenseOp.Name] = LayerExport.Dense,
        [Conv2DOp.Name] = LayerExport.Conv2D,
        [ConvTranspose2DOp.Name] = LayerExport.ConvTranspose2D,
        [BatchNormOp.Name] = LayerExport.BatchNorm,
        [LayerNormOp.Name] = LayerExport.LayerNorm,
        [ActivationOp.Name] = ActivationExport.Export,
        [MaxPool2DOp.Name] = PoolExport.MaxPool,
        [AvgPool2DOp.Name] = PoolExport.AvgPool,
        [GlobalAveragePoolOp.Name] = PoolExport.GlobalAverage,
        [GlobalMaxPoolOp.Name] = PoolExport.GlobalMax,
        [MaxPool3DOp.Name] = VolumeExport.MaxPool,
        [AvgPool3DOp.Name] = VolumeExport.AvgPool,
        [ConvTranspose3DOp.Name] = VolumeExport.ConvTranspose,
        [FlattenOp.Name] = StructureExport.Flatten,
        [ReshapeOp.Name] = StructureExport.Reshape,
        [AddOp.Name] = StructureExport.Add,
        [ConcatOp.Name] = StructureExport.Concat,
        [SoftmaxOp.Name] = SoftmaxExport.Export,
        [ReduceOp.Name] = ReduceExport.Export,
        [PReluOp.Name] = PReluExport.PRelu,
        [CeluOp.Name] = PReluExport.Celu,
        [DropoutOp.Name] = StructureExport.Dropout,
        [UnaryMathOp.Name] = ElementwiseExport.Unary,
        [BinaryOp.Name] = ElementwiseExport.Binary,
        [WhereOp.Name] = SelectExport.Where,
        [ExpandOp.Name] = AxisMapExport.Expand,
        [TileOp.Name] = AxisMapExport.Tile,
        [PadOp.Name] = AxisMapExport.Pad,
        [LstmOp.Name] = RecurrentExport.Export,
        [GruOp.Name] = RecurrentExport.Export,
        [RnnOp.Name] = RecurrentExport.Export,
        [MatMulOp.Name] = MatMulExport.MatMul,
        [TransposeOp.Name] = LayoutExport.Transpose,
        [SplitOp.Name] = LayoutExport.Split,
        [SliceOp.Name] = SliceExport.Slice,
        [GatherElementsOp.Name] = SliceExport.GatherElements,
    };

    /// <summary>The op kinds the exporter writes, sorted.</summary>
    public static IReadOnlyList<string> SupportedKinds => [.. Exports.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The model as the bytes of an ONNX ModelProto.</summary>
    public static byte[] Export(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Graph graph = model.Graph;
        var context = new ExportContext(graph);
        foreach (Node node in graph.Nodes)
        {
            if (node.Op is OptimizerUpdateOp)
                throw ExportContext.Fail(node, $"the op '{node.Op.Kind}' is an optimizer update (ONNX's ai.onnx.preview.training), which the exporter does not write: an exported model is for inference, and the update is no layer of it.");
            if (!Exports.TryGetValue(node.Op.Kind, out var export))
                throw ExportContext.Fail(node, $"the exporter has no ONNX form for the op '{node.Op.Kind}'; it writes {string.Join(", ", SupportedKinds)}.");
            export(context, node);
        }

        var inputNames = new HashSet<string>(graph.Inputs.Select(context.Name), StringComparer.Ordinal);
        var outputs = new List<Action<ProtoWriter>>();
        foreach (Value output in graph.Outputs)
        {
            string outputName = context.Name(output);
            if (inputNames.Contains(outputName))
            {
                // Only Dropouts between an input and this output: ONNX wants an output to be written by a node.
                string source = outputName;
                outputName = inputNames.Contains(output.Name) ? output.Name + "_output" : output.Name;
                context.Nodes.Add(OnnxWriter.NamedNode(outputName + "/Identity", "Identity", [source], [outputName]));
            }
            outputs.Add(OnnxWriter.Value(outputName, Shape(output), BatchDimension));
        }
        // An input read only as recurrent layers' lengths is ONNX's sequence_lens: Int32 [N], one length per sample.
        Action<ProtoWriter>[] inputs = [.. graph.Inputs.Select(v => RecurrentExport.IsLengthsInput(v)
            ? OnnxWriter.Value(context.Name(v), [null], BatchDimension, elementType: 6)
            : OnnxWriter.Value(context.Name(v), Shape(v), BatchDimension))];
        // IR version 8 is ONNX 1.13's (opset 18); opsets 19 and 20 came with IR version 9.
        return OnnxWriter.Model([.. context.Nodes], [.. context.Initializers], inputs, [.. outputs],
            opset: context.Opset, irVersion: context.Opset <= 18 ? 8 : 9, producer: "Simd.Runtime", graph: "model");
    }

    private static long?[] Shape(Value v) => [null, .. v.SampleShape.ToArray().Select(d => (long?)d)];

    public static void Write(Model model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Export(model));
    }

    /// <summary>
    /// Writes to a temporary file beside <paramref name="path"/> and renames it into place, so a failure leaves
    /// no half-written file (and an existing one as it was).
    /// </summary>
    public static void Save(Model model, string path)
    {
        byte[] bytes = Export(model);
        var (full, directory) = SaveTarget.Check(path);
        SaveTarget.WriteAtomically(path, full, directory, file => file.Write(bytes));
    }
}
