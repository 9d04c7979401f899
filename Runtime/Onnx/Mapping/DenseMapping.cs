using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Gemm and MatMul with constant weights become a <see cref="DenseOp"/>. Dense keeps W as [inputs × outputs];
/// Gemm's alpha is folded into W and beta into the bias, and transB = 1 (W stored [outputs × inputs]) is
/// transposed. In a graph imported as one sample, A is the whole matrix: the Dense runs over its rows, transA = 1
/// is a transpose of it first, and a C that differs between rows is an Add after the Dense. The Dense's bias stays open for an Add of a constant that follows (MatMul → Add exports). A MatMul
/// over the last axis of a value of higher rank ([N, T, D] × [D, E], PyTorch's Linear on tokens) is the same Dense
/// over each token; a MatMul of two computed values is a <see cref="MatMulOp"/> (batched, numpy broadcasting).
/// </summary>
internal static class DenseMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Gemm", OnnxOpTable.MinOpset, 3, Gemm),
        new("MatMul", OnnxOpTable.MinOpset, 2, MatMul),
    ];

    /// <summary>Features the graph input must have when it feeds this node first (an input given without a shape).</summary>
    public static int? InputWidth(OnnxNode node, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        if (node.OpType is not ("Gemm" or "MatMul") || !node.HasInput(1) || !initializers.TryGetValue(node.Inputs[1], out OnnxTensor? b) || b.Dims.Count != 2)
            return null;
        long width = node.OpType == "Gemm" && node.Int("transB", 0) != 0 ? b.Dims[1] : b.Dims[0];
        return width is > 0 and <= int.MaxValue ? (int)width : null;
    }

    private static void Gemm(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        bool transA = node.Int("transA", 0) != 0;
        if (context.OneSample)
        {
            // A is the whole matrix [M, K] (or [K, M]): a Dense over its M rows, as over tokens.
            context.Require(node, x.SampleShape.Rank == 2,
                $"A '{node.Inputs[0]}' has shape {context.Bound(x).Shape}; Gemm multiplies matrices (rank 2).");
            if (transA) x = context.Add(node, new TransposeOp(1, 0), x);
        }
        else
        {
            context.RequireFeatures(node, x);
            context.Require(node, !transA,
                "transA = 1 transposes A, whose first axis is the batch here, and no op of ours mixes samples; a graph without a batch axis (A of a fixed shape) imports it as one sample.");
        }
        bool transB = node.Int("transB", 0) != 0;
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        OnnxTensor b = context.Weight(node, 1, rank: 2);
        var (inputs, outputs) = Sizes(context, node, x, transB ? b.Dims[1] : b.Dims[0], transB ? b.Dims[0] : b.Dims[1]);
        // Written into the model once it is built, straight from the file: PyTorch's Linear is transB.
        TensorWriter weights = target =>
        {
            if (transB) Intrinsics.Transpose.Permute(b.Floats, target, 1, [outputs, inputs], [1, 0]);
            else b.Floats.CopyTo(target);
            if (alpha != 1f)
                for (int i = 0; i < target.Length; i++) target[i] *= alpha;
        };
        var bias = new float[outputs];
        if (node.HasInput(2))
        {
            OnnxTensor c = context.Weight(node, 2, rank: null);
            if (context.OneSample && c.Dims.Take(Math.Max(0, c.Dims.Count - 1)).Any(d => d != 1))
            {
                MatrixBias(context, node, x, outputs, inputs * outputs, weights, c, beta);
                return;
            }
            float[] row = ConstantBroadcast.ToRow(context, node, c, outputs);
            for (int o = 0; o < outputs; o++) bias[o] = row[o] * beta;
        }
        AddDense(context, node, x, outputs, inputs * outputs, weights, bias);
    }

    /// <summary>
    /// As one sample, a C that differs between the M rows ([M, N] or [M, 1]): the Dense without bias, then an Add of
    /// β·C spread over [M, N], trainable as the Dense's bias would be.
    /// </summary>
    private static void MatrixBias(ImportContext context, OnnxNode node, Value x, int outputs, int weightCount, TensorWriter weights, OnnxTensor c, float beta)
    {
        var shape = new TensorShape(x.SampleShape[0], outputs);
        float[] spread = ConstantBroadcast.ToSample(context, node, c, shape);
        for (int i = 0; i < spread.Length; i++) spread[i] *= beta;
        var dense = new DenseOp(outputs);
        Value product = context.Add(node, dense, x);
        context.SetTensor(dense, "weights", weightCount, weights);
        context.SetTensor(dense, "bias", new float[outputs]);
        var add = new BinaryOp(Intrinsics.BinaryFunction.Add, shape, constantFirst: false, trainable: true);
        context.SetTensor(add, "constant", spread);
        context.Bind(node, context.Add(node, add, product));
    }

    private static void MatMul(ImportContext context, OnnxNode node)
    {
        if (!context.IsConstant(node, 1) && !context.IsConstant(node, 0))
        {
            MatMulMapping.Batched(context, node);
            return;
        }
        Value x = context.Data(node, 0);
        OnnxTensor b = context.Weight(node, 1, rank: 2);
        var (inputs, outputs) = Sizes(context, node, x, b.Dims[0], b.Dims[1]);
        AddDense(context, node, x, outputs, inputs * outputs, target => b.Floats.CopyTo(target), new float[outputs]);
    }

    private static (int Inputs, int Outputs) Sizes(ImportContext context, OnnxNode node, Value x, long inputs, long outputs)
    {
        context.Require(node, inputs > 0 && outputs > 0 && inputs * outputs <= int.MaxValue, $"weights of {inputs} × {outputs}.");
        int width = x.SampleShape[x.SampleShape.Rank - 1];
        context.Require(node, width == inputs,
            $"weights take {inputs} features, but {width} arrive{(x.SampleShape.Rank > 1 ? $" (the last axis of {ImportContext.FullShape(x)})" : "")}.");
        return ((int)inputs, (int)outputs);
    }

    private static void AddDense(ImportContext context, OnnxNode node, Value x, int outputs, int weightCount, TensorWriter weights, float[] bias)
    {
        var op = new DenseOp(outputs);
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "weights", weightCount, weights);
        context.SetTensor(op, "bias", bias);
        context.Bind(node, y);
        context.OpenBias(node, bias);
    }
}
