using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The elementwise activations our kernels implement, with ONNX's attribute values, as <see cref="ActivationOp"/>
/// (freezing fuses one that follows a Dense into its GEMM epilogue). Attribute values with no kernel are refused.
/// </summary>
internal static class ActivationMapping
{
    private const float SeluAlpha = 1.67326319217681884765625f, SeluGamma = 1.05070102214813232421875f;

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

    private static void Selu(ImportContext context, OnnxNode node)
    {
        context.Require(node, Near(node.Float("alpha", SeluAlpha), SeluAlpha) && Near(node.Float("gamma", SeluGamma), SeluGamma),
            "Selu with alpha/gamma other than the standard constants has no kernel.");
        Map(context, node, ActivationKind.Selu, float.NaN);
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

    /// <summary>Our HardSigmoid is PyTorch's x/6 + 1/2 (what torch exports as alpha 1/6, beta 0.5).</summary>
    private static void HardSigmoid(ImportContext context, OnnxNode node)
    {
        float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        context.Require(node, Near(alpha, 1f / 6) && Near(beta, 0.5f), string.Create(CultureInfo.InvariantCulture, $"HardSigmoid alpha {alpha}, beta {beta}; only alpha 1/6, beta 0.5 has a kernel."));
        Map(context, node, ActivationKind.HardSigmoid, float.NaN);
    }

    private static bool Near(float a, float b) => MathF.Abs(a - b) <= 1e-6f * MathF.Max(1, MathF.Abs(b));
}
