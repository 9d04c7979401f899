using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// PRelu as <see cref="PReluOp"/>, its slope a constant that becomes the op's trainable slope: ONNX broadcasts it
/// over X aligned at the right, so it is one value, one per channel ([C, 1, 1] for images), or one per element; a
/// slope with X's full rank has 1 for the batch (in a graph imported as one sample, X is the whole tensor, so a slope
/// shaped like it is one per element). Celu (opset 12) as <see cref="CeluOp"/>.
/// </summary>
internal static class PReluMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("PRelu", OnnxOpTable.MinOpset, 2, PRelu),
        new("Celu", 12, 1, Celu),
    ];

    private static void PRelu(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        OnnxTensor slope = context.Weight(node, 1, rank: null);
        TensorShape sample = x.SampleShape;
        List<long> dims = [.. slope.Dims];
        int most = sample.Rank + (context.OneSample ? 0 : 1);
        context.Require(node, dims.Count <= most,
            $"the slope '{node.Inputs[1]}' has shape {ImportContext.Dims(slope)}, more dimensions than the input {context.Bound(x).Shape}.");
        if (!context.OneSample && dims.Count == sample.Rank + 1)
        {
            context.Require(node, dims[0] == 1,
                $"the slope '{node.Inputs[1]}' has shape {ImportContext.Dims(slope)}, a slope per sample of the batch; the batch axis must be 1.");
            dims.RemoveAt(0);
        }
        var shape = new TensorShape([.. dims.Select(d => (int)d)]);
        var op = new PReluOp(shape);
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "slope", slope);
        context.Bind(node, y);
    }

    private static void Celu(ImportContext context, OnnxNode node)
    {
        float alpha = node.Float("alpha", 1f);
        context.Require(node, alpha > 0 && float.IsFinite(alpha),
            $"alpha is {alpha.ToString(CultureInfo.InvariantCulture)}; the importer maps Celu with a positive finite alpha.");
        context.Bind(node, context.Add(node, new CeluOp(alpha), context.Data(node, 0)));
    }
}
