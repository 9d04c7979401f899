using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

using static ElementwiseOperands;

/// <summary>
/// Add, Sub, Mul, Div, Pow and the n-ary Sum, Mean, Max and Min, with numpy's broadcasting, as <see cref="BinaryOp"/>
/// nodes: between two computed values of one rank, or a computed value and a constant on either side. Constants
/// alone fold at import. Add of a constant that fits one sample joins the bias of the Dense right before it when
/// that Dense feeds only this Add (MatMul → Add, as exporters write a Linear layer). Pow by a constant 1 is the
/// value itself and by 2 the value times itself; Mean is the Sum divided by the count of its inputs.
/// </summary>
internal static class BinaryMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Add", OnnxOpTable.MinOpset, 2, Add),
        Two("Sub", BinaryFunction.Subtract),
        Two("Mul", BinaryFunction.Multiply),
        Two("Div", BinaryFunction.Divide),
        new("Pow", OnnxOpTable.MinOpset, 2, Pow),
        Many("Sum", BinaryFunction.Add, mean: false),
        Many("Mean", BinaryFunction.Add, mean: true),
        Many("Max", BinaryFunction.Maximum, mean: false),
        Many("Min", BinaryFunction.Minimum, mean: false),
    ];

    private static OnnxOpMapping Two(string opType, BinaryFunction f) => new(opType, OnnxOpTable.MinOpset, 2, (c, n) => Map(c, n, f));

    /// <summary>Sum-8, Mean-8, Max-8 and Min-8 broadcast; the opset-7 forms required equal shapes, which broadcasting reads the same.</summary>
    private static OnnxOpMapping Many(string opType, BinaryFunction f, bool mean) => new(opType, OnnxOpTable.MinOpset, int.MaxValue, (c, n) => Variadic(c, n, f, mean));

    private static void RequireTwo(ImportContext context, OnnxNode node) =>
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1), $"{node.OpType} with {node.Inputs.Count} inputs; expected 2.");

    private static void Map(ImportContext context, OnnxNode node, BinaryFunction f)
    {
        RequireTwo(context, node);
        Bind(context, node, Join(context, node, f, Read(context, node, 0), Read(context, node, 1)));
    }

    private static void Add(ImportContext context, OnnxNode node)
    {
        RequireTwo(context, node);
        Operand a = Read(context, node, 0), b = Read(context, node, 1);
        if ((a.Value is null) != (b.Value is null))
        {
            int data = a.Value is not null ? 0 : 1;
            Value x = (a.Value ?? b.Value)!;
            OnnxTensor c = (a.Constant ?? b.Constant)!;
            if (FitsOneSample(c, x.SampleShape) && context.TakeOpenBias(node, data) is float[] bias)
            {
                float[] values = ConstantBroadcast.ToSample(context, node, c, x.SampleShape);
                for (int o = 0; o < bias.Length; o++) bias[o] += values[o];
                context.Bind(node, x);
                context.OpenBias(node, bias);
                return;
            }
        }
        Bind(context, node, Join(context, node, BinaryFunction.Add, a, b));
    }

    /// <summary>True when the constant broadcasts over one sample without widening it (what a Dense's bias can take in).</summary>
    private static bool FitsOneSample(OnnxTensor c, TensorShape sample)
    {
        int skip = c.Dims.Count - sample.Rank;
        if (skip > 1 || (skip == 1 && c.Dims[0] != 1)) return false;
        for (int k = 0; k < sample.Rank; k++)
        {
            int j = k + skip;
            long d = j >= 0 ? c.Dims[j] : 1;
            if (d != 1 && d != sample[k]) return false;
        }
        return true;
    }

    private static void Pow(ImportContext context, OnnxNode node)
    {
        RequireTwo(context, node);
        Operand a = Read(context, node, 0), b = Read(context, node, 1, integerConstant: true);
        if (a.Value is Value x && b.Constant is { ElementCount: 1 } e && e.Dims.Count <= x.SampleShape.Rank + 1 && e.Dims.All(d => d == 1))
        {
            float exponent = e.Floats[0];
            if (exponent == 1)
            {
                context.Bind(node, context.Tensor(node, 0));
                return;
            }
            if (exponent == 2)
            {
                context.Bind(node, context.Add(node, new BinaryOp(BinaryFunction.Multiply), x, x));
                return;
            }
        }
        Bind(context, node, Join(context, node, BinaryFunction.Power, a, b));
    }

    private static void Variadic(ImportContext context, OnnxNode node, BinaryFunction f, bool mean)
    {
        context.Require(node, node.Inputs.Count >= 1 && Enumerable.Range(0, node.Inputs.Count).All(node.HasInput), $"{node.OpType} needs one or more inputs, none of them empty.");
        Operand? values = null, constants = null;
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            Operand o = Read(context, node, i);
            ref Operand? into = ref o.Value is null ? ref constants : ref values;
            into = into is Operand soFar ? Join(context, node, f, soFar, o) : o;
        }
        Operand result = values is Operand v && constants is Operand c ? Join(context, node, f, v, c) : (values ?? constants)!.Value;
        if (mean && node.Inputs.Count > 1)
            result = Join(context, node, BinaryFunction.Divide, result, new(null, OnnxTensor.FromFloats("the count of inputs", [], [node.Inputs.Count])));
        if (node.Inputs.Count == 1 && result.Value is not null)
        {
            context.Bind(node, context.Tensor(node, 0));
            return;
        }
        Bind(context, node, result);
    }
}
