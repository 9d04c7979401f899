namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The ops whose mappings were checked on a graph imported as one sample (<see cref="OnnxBatchMode.OneSample"/>):
/// elementwise ops, which do not see the batch, and those that read ONNX axes only through
/// <see cref="ImportContext.FullAxis"/> or <see cref="BoundTensor"/> or that say what a tensor without a batch means
/// (a reduction or PRelu slope over axis 0, Expand, Tile and Pad over every axis). Any other op is refused there rather than
/// risk reading an axis as the batch. An elementwise constant of more axes than the computed value it meets would
/// widen the result past the value's shape (with a batch it is the batch's axis, of size 1), so it is refused too.
/// </summary>
internal static class OneSampleOps
{
    private static readonly HashSet<string> Checked = new(StringComparer.Ordinal)
    {
        "Identity", "Constant", "Cast", "CastLike", "Shape", "Dropout",
        "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Clip",
        "Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Gelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish",
        "Add", "Sub", "Mul", "Div", "Pow", "Sum", "Mean", "Max", "Min",
        "Concat", "Reshape", "Flatten", "Softmax", "LayerNormalization", "Transpose", "Squeeze", "Unsqueeze", "Gather",
        "LogSoftmax", "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss", "Slice", "GatherElements",
        "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Not", "Where",
        "Celu", "PRelu", "Split", "Expand", "Tile", "Pad", "MatMul",
        "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare",
        "Adam", "Adagrad", "Momentum", "Gemm", "BatchNormalization",
    };

    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Sum", "Mean", "Max", "Min",
        "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Where",
    };

    public static void Require(ImportContext context, OnnxNode node)
    {
        context.Require(node, Checked.Contains(node.OpType),
            $"imported as one sample (no batch axis), the importer maps only {string.Join(", ", Checked.Order(StringComparer.Ordinal))}.", oneSampleOnly: true);
        if (!Elementwise.Contains(node.OpType)) return;
        // Constants alone (a comparison of them) fold in the mapping: there is no computed value to lose axes against.
        if (!Enumerable.Range(0, node.Inputs.Count).Any(i => node.HasInput(i) && context.TryGetTensor(node.Inputs[i], out _))) return;
        int rank = 0;
        for (int i = 0; i < node.Inputs.Count; i++)
            if (node.HasInput(i) && context.TryGetTensor(node.Inputs[i], out BoundTensor t)) rank = Math.Max(rank, t.Rank);
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            if (context.Initializer(node, i) is OnnxTensor c)
                context.Require(node, c.Dims.Count <= rank,
                    $"constant '{c.Name}' of shape {ImportContext.Dims(c)} has more axes than the computed input's {rank}; imported as one sample, the result would lose its leading axes.", oneSampleOnly: true);
        }
    }
}
