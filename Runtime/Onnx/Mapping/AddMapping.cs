using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Add of two computed values (a residual join) becomes <see cref="AddOp"/>; Add of a constant joins the bias of
/// the Dense right before it when that Dense feeds only this Add (MatMul → Add, as exporters write a Linear
/// layer), and is otherwise an <see cref="AddOp"/> with a trainable bias holding the constant.
/// </summary>
internal static class AddMapping
{
    public static OnnxOpMapping[] Mappings => [new("Add", OnnxOpTable.MinOpset, 2, Add)];

    private static void Add(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1), $"Add with {node.Inputs.Count} inputs; expected 2.");
        bool constant0 = context.IsConstant(node, 0), constant1 = context.IsConstant(node, 1);
        context.Require(node, !(constant0 && constant1), "both inputs are constants; fold them before export.");
        if (!constant0 && !constant1)
        {
            Value a = context.Data(node, 0), b = context.Data(node, 1);
            context.Require(node, a.SampleShape == b.SampleShape,
                $"the inputs have shapes {ImportContext.FullShape(a)} and {ImportContext.FullShape(b)}; two computed values add only when their shapes are equal (no broadcasting between them).");
            context.Bind(node, context.Add(node, new AddOp(), a, b));
            return;
        }
        int data = constant0 ? 1 : 0;
        Value x = context.Data(node, data);
        OnnxTensor c = context.Weight(node, 1 - data, rank: null);
        float[] values = ConstantBroadcast.ToSample(context, node, c, x.SampleShape);
        if (context.TakeOpenBias(node, data) is float[] bias)
        {
            for (int o = 0; o < bias.Length; o++) bias[o] += values[o];
            context.Bind(node, x);
            context.OpenBias(node, bias);
            return;
        }
        var op = new AddOp(withBias: true);
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "bias", values);
        context.Bind(node, y);
    }
}
