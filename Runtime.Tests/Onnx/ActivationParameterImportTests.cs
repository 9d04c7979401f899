using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// ONNX's HardSigmoid and Selu with any parameters: imported as the op's own parameters (PyTorch's constants as the
/// fixed kernel that fuses), computed as ONNX defines them, exported with their attributes and read back the same;
/// parameters that cannot run are refused naming them.
/// </summary>
public sealed class ActivationParameterImportTests
{
    private static readonly float[] X = [-4f, -1.5f, -0.2f, 0f, 0.3f, 1f, 2.5f, 6f];

    private static byte[] Graph(string op, params Action<ProtoWriter>[] attributes) =>
        Model([Node(op, ["x"], ["y"], attributes)], [], [Value("x", [null, 8])], [Value("y", [null, 8])]);

    private static (ActivationOp Op, float[] Y) Import(byte[] bytes)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        var y = new float[8];
        model.Predict(X, y);
        return (model.Graph.Nodes.Select(n => n.Op).OfType<ActivationOp>().Single(), y);
    }

    [Theory]
    [InlineData(0.5f, 0.6f)]
    [InlineData(0.2f, 0.5f)]
    [InlineData(-0.25f, 0.1f)]
    public void HardSigmoidWithAnyAlphaAndBeta(float alpha, float beta)
    {
        var (op, y) = Import(Graph("HardSigmoid", FloatAttribute("alpha", alpha), FloatAttribute("beta", beta)));
        Assert.Equal((alpha, beta), (op.HardSigmoidAlpha, op.HardSigmoidBeta));
        OnnxAssert.Close([.. X.Select(v => Math.Clamp(alpha * v + beta, 0f, 1f))], y, "HardSigmoid", rtol: 1e-6, atol: 1e-7);
        AssertExportReadsBack(op, y);
    }

    [Fact]
    public void HardSigmoidDefaultsAreOnnxsAndPyTorchsConstantsAreTheFixedKernel()
    {
        var (op, y) = Import(Graph("HardSigmoid"));
        Assert.Equal((0.2f, 0.5f), (op.HardSigmoidAlpha, op.HardSigmoidBeta));
        OnnxAssert.Close([.. X.Select(v => Math.Clamp(0.2f * v + 0.5f, 0f, 1f))], y, "HardSigmoid defaults", rtol: 1e-6, atol: 1e-7);
        var (torch, _) = Import(Graph("HardSigmoid", FloatAttribute("alpha", 1f / 6), FloatAttribute("beta", 0.5f)));
        Assert.True(torch.HasDefaultParameters);
    }

    [Fact]
    public void SeluWithAnyAlphaAndGamma()
    {
        var (op, y) = Import(Graph("Selu", FloatAttribute("alpha", 2f), FloatAttribute("gamma", 3f)));
        Assert.Equal((2f, 3f), (op.SeluAlpha, op.SeluGamma));
        OnnxAssert.Close([.. X.Select(v => 3 * (v > 0 ? v : 2 * (MathF.Exp(v) - 1)))], y, "Selu", rtol: 1e-6, atol: 1e-6);
        AssertExportReadsBack(op, y);
        var (standard, _) = Import(Graph("Selu"));
        Assert.True(standard.HasDefaultParameters);
        Assert.Equal(ActivationKind.Selu, standard.Activation);
    }

    [Fact]
    public void ParametersThatCannotRunAreRefusedNamingThem()
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Graph("Selu", FloatAttribute("alpha", 1f), FloatAttribute("gamma", -1f))));
        Assert.Contains("Selu alpha 1, gamma -1: gamma must be positive", e.Message);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Graph("HardSigmoid", FloatAttribute("alpha", float.PositiveInfinity))));
        Assert.Contains("HardSigmoid alpha Infinity, beta 0.5; both must be finite numbers.", e.Message);
    }

    private static void AssertExportReadsBack(ActivationOp op, float[] expected)
    {
        var g = new Simd.Runtime.Graphs.GraphBuilder();
        var x = g.Input(new Simd.Runtime.Tensors.TensorShape(8));
        g.Output(g.Single(OpRegistry.Clone(op), g.Dense(x, 8)));
        using Model model = g.Build(seed: 1, maxBatch: 1);
        byte[] exported = OnnxExporter.Export(model);
        using Model back = OnnxImporter.Import(exported).Model;
        var reread = back.Graph.Nodes.Select(n => n.Op).OfType<ActivationOp>().Single();
        Assert.Equal((op.HardSigmoidAlpha, op.HardSigmoidBeta, op.SeluAlpha, op.SeluGamma), (reread.HardSigmoidAlpha, reread.HardSigmoidBeta, reread.SeluAlpha, reread.SeluGamma));
        var before = new float[8];
        var after = new float[8];
        model.Predict(X, before);
        back.Predict(X, after);
        Assert.Equal(before, after);
        Assert.Equal(8, expected.Length);
    }
}
