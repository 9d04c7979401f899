using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The ai.onnx.preview.training optimizers Adam, Adagrad and Momentum (standard and nesterov) as one
/// <see cref="OptimizerUpdateOp"/> each, whose outputs are the updated tensors and states. The inputs are computed
/// values: R and T (rank 0, so the graph imports as one sample; T, an int64 count, arrives as a float), then X…,
/// G… and the states, each shaped like its X. The update has no gradient, and the exporter does not write it.
/// </summary>
internal static class OptimizerMapping
{
    public const string Domain = "ai.onnx.preview.training";

    public static OnnxOpMapping[] Mappings =>
    [
        new("Adam", OnnxOpTable.MinOpset, int.MaxValue, Adam),
        new("Adagrad", OnnxOpTable.MinOpset, int.MaxValue, Adagrad),
        new("Momentum", OnnxOpTable.MinOpset, int.MaxValue, Momentum),
    ];

    /// <summary>True for the op types of the training domain (the importer lets that domain through for these only).</summary>
    public static bool IsOptimizer(OnnxNode node) => node.Domain == Domain && node.OpType is "Adam" or "Adagrad" or "Momentum";

    private static void Adam(ImportContext context, OnnxNode node)
    {
        int n = Tensors(context, node, 4);
        float alpha = node.Float("alpha", 0.9f), beta = node.Float("beta", 0.999f), epsilon = node.Float("epsilon", 1e-6f);
        float decay = node.Float("norm_coefficient", 0), post = node.Float("norm_coefficient_post", 0);
        Finite(context, node, ("alpha", alpha), ("beta", beta), ("epsilon", epsilon), ("norm_coefficient", decay), ("norm_coefficient_post", post));
        Add(context, node, new AdamOp(n, alpha, beta, epsilon, decay, post));
    }

    private static void Adagrad(ImportContext context, OnnxNode node)
    {
        int n = Tensors(context, node, 3);
        float decayFactor = node.Float("decay_factor", 0), epsilon = node.Float("epsilon", 0), decay = node.Float("norm_coefficient", 0);
        Finite(context, node, ("decay_factor", decayFactor), ("epsilon", epsilon), ("norm_coefficient", decay));
        Add(context, node, new AdagradOp(n, decayFactor, epsilon, decay));
    }

    private static void Momentum(ImportContext context, OnnxNode node)
    {
        int n = Tensors(context, node, 3);
        context.Require(node, node.Attribute("alpha") is not null && node.Attribute("beta") is not null && node.Attribute("mode") is not null,
            "Momentum needs its alpha, beta and mode attributes.");
        float alpha = node.Float("alpha", 0), beta = node.Float("beta", 0), decay = node.Float("norm_coefficient", 0);
        string mode = node.String("mode", "standard");
        context.Require(node, mode is "standard" or "nesterov", $"mode '{mode}'; expected 'standard' or 'nesterov'.");
        Finite(context, node, ("alpha", alpha), ("beta", beta), ("norm_coefficient", decay));
        Add(context, node, new MomentumOp(n, alpha, beta, decay, mode == "nesterov"));
    }

    /// <summary>n from the inputs, 2 + <paramref name="groups"/>·n of them, with (groups − 1)·n outputs.</summary>
    private static int Tensors(ImportContext context, OnnxNode node, int groups)
    {
        context.Require(node, node.Domain == Domain, $"{node.OpType} is an op of the {Domain} domain; this node is in '{node.Domain}'.");
        int rest = node.Inputs.Count - 2;
        context.Require(node, rest >= groups && rest % groups == 0,
            $"{node.Inputs.Count} inputs; {node.OpType} takes R, T and then {groups} tensors for each one it updates ({string.Join(", ", Enumerable.Range(1, 3).Select(n => 2 + groups * n))}, …).");
        int n = rest / groups;
        context.Require(node, node.Outputs.Count == (groups - 1) * n,
            $"{node.Outputs.Count} outputs; {node.OpType} of {n} tensor{(n == 1 ? "" : "s")} gives {(groups - 1) * n}.");
        return n;
    }

    private static void Finite(ImportContext context, OnnxNode node, params (string Name, float Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
            context.Require(node, float.IsFinite(value), string.Create(CultureInfo.InvariantCulture, $"attribute '{name}' is {value}; expected a finite number."));
    }

    private static void Add(ImportContext context, OnnxNode node, OptimizerUpdateOp op)
    {
        var inputs = new Value[node.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            BoundTensor t = context.Tensor(node, i);
            context.Require(node, t.BatchAxis < 0 || i >= 2,
                $"input {i} '{node.Inputs[i]}' ({(i == 0 ? "R" : "T")}) is a value per sample of a batch; an optimizer's R and T are scalars, which a graph imported as one sample reads.");
            inputs[i] = t.Value ?? throw context.Fail(node, $"input {i} '{node.Inputs[i]}' was left out of the import.");
        }
        IReadOnlyList<Value> outputs = context.AddNode(node, op, inputs);
        for (int o = 0; o < outputs.Count; o++)
            if (node.Outputs[o].Length > 0) context.BindTensor(node, node.Outputs[o], context.Bound(outputs[o]));
    }
}
