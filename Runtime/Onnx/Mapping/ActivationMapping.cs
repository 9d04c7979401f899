using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The elementwise activations our kernels implement, with ONNX's attribute values, as <see cref="ActivationOp"/>
/// (freezing fuses one that follows a Dense into its GEMM epilogue). HardSigmoid and Selu take any finite alpha/beta
/// and alpha/gamma (Selu: gamma &gt; 0, alpha ≥ 0, as its backward reads the output).
/// </summary>
internal static class ActivationMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        Plain("Relu", ActivationKind.Relu),
        new("LeakyRelu", OnnxOpTable.MinOpset, 1, (c, n) => Map(c, n, ActivationKind.LeakyRelu, n.Float("alpha", 0.01f))),
        new("Elu", OnnxOpTable.MinOpset, 1, (c, n) => Map(c, n, ActivationKind.Elu, n.Float("alpha", 1f))),
        new("Selu", OnnxOpTable.MinOpset, 1, Selu),
        Plain("Sigmoid", ActivationKind.Sigmoid),
        Plain("Tanh", ActivationKind.Tanh),
        new("Gelu", 20, 1, Gelu),
        Plain("Softplus", ActivationKind.Softplus),
        Plain("Softsign", ActivationKind.Softsign),
        new("HardSigmoid", OnnxOpTable.MinOpset, 1, HardSigmoid),
        new("HardSwish", 14, 1, (c, n) => Map(c, n, ActivationKind.HardSwish, float.NaN)),
        new("Mish", 18, 1, (c, n) => Map(c, n, ActivationKind.Mish, float.NaN)),
    ];

    private static OnnxOpMapping Plain(string opType, ActivationKind kind) =>
        new(opType, OnnxOpTable.MinOpset, 1, (c, n) => Map(c, n, kind, float.NaN));

    private static void Map(ImportContext context, OnnxNode node, ActivationKind kind, float alpha) =>
        context.Bind(node, context.Add(node, new ActivationOp(kind, alpha), context.Data(node, 0)));

    /// <summary>PyTorch's constants (ONNX's defaults) run as the fusable fixed kernel; other values as the op's own.</summary>
    private static void Selu(ImportContext context, OnnxNode node)
    {
        float alpha = node.Float("alpha", Intrinsics.Selu.DefaultAlpha), gamma = node.Float("gamma", Intrinsics.Selu.DefaultGamma);
        context.Require(node, Intrinsics.Selu.Problem(alpha, gamma) is null,
            string.Create(CultureInfo.InvariantCulture, $"Selu alpha {alpha}, gamma {gamma}: {Intrinsics.Selu.Problem(alpha, gamma)}."));
        ActivationOp op = Near(alpha, Intrinsics.Selu.DefaultAlpha) && Near(gamma, Intrinsics.Selu.DefaultGamma)
            ? new ActivationOp(ActivationKind.Selu) : ActivationOp.Selu(alpha, gamma);
        context.Bind(node, context.Add(node, op, context.Data(node, 0)));
    }

    private static void Gelu(ImportContext context, OnnxNode node)
    {
        string approximate = node.String("approximate", "none");
        ActivationKind kind = approximate switch
        {
            "none" => ActivationKind.GeluErf,
            "tanh" => ActivationKind.GeluTanh,
            _ => throw context.Fail(node, $"approximate '{approximate}' is not 'none' or 'tanh'."),
        };
        Map(context, node, kind, float.NaN);
    }

    /// <summary>PyTorch's x/6 + 1/2 (what torch exports as alpha 1/6, beta 0.5) runs as the fusable fixed kernel; other values as the op's own.</summary>
    private static void HardSigmoid(ImportContext context, OnnxNode node)
    {
        float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        context.Require(node, float.IsFinite(alpha) && float.IsFinite(beta),
            string.Create(CultureInfo.InvariantCulture, $"HardSigmoid alpha {alpha}, beta {beta}; both must be finite numbers."));
        ActivationOp op = Near(alpha, Intrinsics.HardSigmoid.DefaultAlpha) && Near(beta, Intrinsics.HardSigmoid.DefaultBeta)
            ? new ActivationOp(ActivationKind.HardSigmoid) : ActivationOp.HardSigmoid(alpha, beta);
        context.Bind(node, context.Add(node, op, context.Data(node, 0)));
    }

    private static bool Near(float a, float b) => MathF.Abs(a - b) <= 1e-6f * MathF.Max(1, MathF.Abs(b));
}
