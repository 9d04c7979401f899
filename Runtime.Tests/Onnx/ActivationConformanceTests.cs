using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>ONNX's single-node activation cases against <see cref="Activations.Forward(ActivationKind, ReadOnlySpan{float}, Span{float}, float)"/>.</summary>
[Trait("Category", "Conformance")]
public class ActivationConformanceTests
{
    private static readonly string[] Cases =
    [
        "test_relu", "test_leakyrelu", "test_leakyrelu_default", "test_elu_default", "test_elu_example",
        "test_selu_default", "test_selu_example", "test_sigmoid", "test_tanh_example", "test_gelu_default_1",
        "test_gelu_tanh_1", "test_gelu_tanh_2", "test_softplus_example", "test_softsign", "test_hardsigmoid_default",
        "test_hardsigmoid_example", "test_hardswish", "test_mish", "test_identity",
    ];

    public static TheoryData<string, SimdWidth> CaseWidths() => ConformanceKernels.CaseWidths(Cases);

    [Theory]
    [MemberData(nameof(CaseWidths))]
    public void MatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        ReadOnlySpan<float> x = c.Inputs[0].Floats;
        var y = new float[x.Length];
        switch (node.OpType)
        {
            case "Relu": Run(ActivationKind.Relu, 0); break;
            case "LeakyRelu": Run(ActivationKind.LeakyRelu, node.Float("alpha", 0.01f)); break;
            case "Elu": Run(ActivationKind.Elu, node.Float("alpha", 1f)); break;
            case "Selu": Selu(width, node, x, y); break;
            case "Sigmoid": Run(ActivationKind.Sigmoid, 0); break;
            case "Tanh": Run(ActivationKind.Tanh, 0); break;
            case "Gelu":
                string approximate = node.String("approximate", "none");
                Run(approximate switch
                {
                    "none" => ActivationKind.GeluErf,
                    "tanh" => ActivationKind.GeluTanh,
                    _ => throw new InvalidOperationException($"{name}: unknown Gelu approximate '{approximate}'"),
                }, 0);
                break;
            case "Softplus": Run(ActivationKind.Softplus, 0); break;
            case "Softsign": Run(ActivationKind.Softsign, 0); break;
            case "HardSigmoid": HardSigmoid(width, node, x, y); break;
            case "HardSwish": Run(ActivationKind.HardSwish, 0); break;
            case "Mish": Run(ActivationKind.Mish, 0); break;
            case "Identity": Run(ActivationKind.Identity, 0); break;
            default: throw new InvalidOperationException($"{name}: op {node.OpType} is not an activation");
        }
        OnnxAssert.Shape(c.Outputs[0], c.Inputs[0].Dims, name);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");

        void Run(ActivationKind kind, float alpha) => ConformanceKernels.Activation(width, kind, c.Inputs[0].Floats, y, alpha);
    }

    /// <summary>
    /// ONNX's Selu has attributes alpha and gamma; our kernel has PyTorch's fixed constants (equal, in float, to
    /// ONNX's defaults). gamma·(x &gt; 0 ? x : alpha·(eˣ − 1)) is our output times gamma/scale on the positive side and
    /// gamma·alpha/(scale·alpha₀) on the negative side, so the example case runs the same kernel with that factor;
    /// with default attributes both factors are exactly 1.
    /// </summary>
    private static void Selu(SimdWidth width, OnnxNode node, ReadOnlySpan<float> x, Span<float> y)
    {
        const float Scale = 1.05070102214813232421875f, Alpha = 1.67326319217681884765625f;
        float alpha = node.Float("alpha", Alpha), gamma = node.Float("gamma", Scale);
        ConformanceKernels.Activation(width, ActivationKind.Selu, x, y, 0);
        float positive = gamma / Scale, negative = gamma * alpha / (Scale * Alpha);
        for (int i = 0; i < y.Length; i++) y[i] *= x[i] > 0 ? positive : negative;
    }

    /// <summary>
    /// ONNX: max(0, min(1, alpha·x + beta)), defaults alpha 0.2, beta 0.5. Ours is PyTorch's max(0, min(1, z/6 + 1/2)),
    /// which has no parameters: feeding it z = 6·(alpha·x + beta − 1/2) gives exactly ONNX's function, so both cases
    /// run through our kernel's clamp and slope.
    /// </summary>
    private static void HardSigmoid(SimdWidth width, OnnxNode node, ReadOnlySpan<float> x, Span<float> y)
    {
        float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        var z = new float[x.Length];
        for (int i = 0; i < x.Length; i++) z[i] = 6 * (alpha * x[i] + beta - 0.5f);
        ConformanceKernels.Activation(width, ActivationKind.HardSigmoid, z, y, 0);
    }
}
