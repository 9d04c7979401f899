using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Every activation kind as the ONNX op the importer reads back as it (<c>Mapping/ActivationMapping.cs</c>): the
/// parameter written out (ONNX's defaults differ from ours for HardSigmoid; HardSigmoid's and SELU's own parameters
/// where they are not PyTorch's), GELU as Gelu (opset 20), Mish
/// (opset 18), and SiLU, which has no ONNX op before Swish, as x·Sigmoid(x).
/// </summary>
internal static class ActivationExport
{
    public static void Export(ExportContext context, Node node)
    {
        var op = (ActivationOp)node.Op;
        string x = context.Name(node.Inputs[0]), y = context.Name(node.Outputs[0]);
        if (op.HasDefaultParameters) Write(context, node, op.Activation, op.Alpha, x, y);
        else if (op.Activation == ActivationKind.HardSigmoid)
            context.Add(node, "HardSigmoid", [x], [y], OnnxWriter.FloatAttribute("alpha", op.HardSigmoidAlpha), OnnxWriter.FloatAttribute("beta", op.HardSigmoidBeta));
        else
            context.Add(node, "Selu", [x], [y], OnnxWriter.FloatAttribute("alpha", op.SeluAlpha), OnnxWriter.FloatAttribute("gamma", op.SeluGamma));
    }

    /// <summary>Writes activation <paramref name="kind"/> of <paramref name="x"/> into <paramref name="y"/> (also a Dense's or a Conv2D's own).</summary>
    public static void Write(ExportContext context, Node node, ActivationKind kind, float alpha, string x, string y)
    {
        float a = float.IsNaN(alpha) ? Activations.DefaultAlpha(kind) : alpha;
        switch (kind)
        {
            case ActivationKind.Identity: context.Add(node, "Identity", [x], [y]); break;
            case ActivationKind.Relu: context.Add(node, "Relu", [x], [y]); break;
            case ActivationKind.LeakyRelu: context.Add(node, "LeakyRelu", [x], [y], OnnxWriter.FloatAttribute("alpha", a)); break;
            case ActivationKind.Elu: context.Add(node, "Elu", [x], [y], OnnxWriter.FloatAttribute("alpha", a)); break;
            case ActivationKind.Selu: context.Add(node, "Selu", [x], [y]); break;
            case ActivationKind.Sigmoid: context.Add(node, "Sigmoid", [x], [y]); break;
            case ActivationKind.Tanh: context.Add(node, "Tanh", [x], [y]); break;
            case ActivationKind.GeluErf or ActivationKind.GeluTanh:
                context.RequireOpset(20);
                context.Add(node, "Gelu", [x], [y], OnnxWriter.StringAttribute("approximate", kind == ActivationKind.GeluErf ? "none" : "tanh"));
                break;
            case ActivationKind.Silu:
                string sigmoid = context.Fresh(node, "/sigmoid");
                context.Add(node, "Sigmoid", [x], [sigmoid]);
                context.Add(node, "Mul", [x, sigmoid], [y]);
                break;
            case ActivationKind.Softplus: context.Add(node, "Softplus", [x], [y]); break;
            case ActivationKind.Softsign: context.Add(node, "Softsign", [x], [y]); break;
            case ActivationKind.HardSigmoid:
                context.Add(node, "HardSigmoid", [x], [y], OnnxWriter.FloatAttribute("alpha", 1f / 6), OnnxWriter.FloatAttribute("beta", 0.5f));
                break;
            case ActivationKind.HardSwish: context.Add(node, "HardSwish", [x], [y]); break;
            case ActivationKind.Mish:
                context.RequireOpset(18);
                context.Add(node, "Mish", [x], [y]);
                break;
            default: throw ExportContext.Fail(node, $"the activation {kind} has no ONNX form here.");
        }
    }

    /// <summary>The op's output, or with an activation of its own a fresh value the activation then reads.</summary>
    public static string Before(ExportContext context, Node node, ActivationKind kind) =>
        kind == ActivationKind.Identity ? context.Name(node.Outputs[0]) : context.Fresh(node, "/linear");
}
