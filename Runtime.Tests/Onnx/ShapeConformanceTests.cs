using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// Flatten and inference-mode Dropout, which move no values (the output equals the input bit for bit), and the
/// Add / Sub cases that map onto our bias-add and axpy kernels.
/// </summary>
[Trait("Category", "Conformance")]
public class ShapeConformanceTests
{
    public static TheoryData<string> FlattenCases() =>
    [
        "test_flatten_axis0", "test_flatten_axis2", "test_flatten_axis3", "test_flatten_default_axis",
        "test_flatten_negative_axis1", "test_flatten_negative_axis2", "test_flatten_negative_axis4",
    ];

    public static TheoryData<string> DropoutCases() =>
        ["test_dropout_default", "test_dropout_default_old", "test_dropout_default_ratio", "test_dropout_random_old"];

    [Theory]
    [MemberData(nameof(FlattenCases))]
    public void FlattenMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        Assert.Equal("Flatten", c.Node.OpType);
        (long rows, long columns) = OnnxShapes.Flatten(c.Inputs[0].Dims, c.Node.Int("axis", 1));
        OnnxAssert.Shape(c.Outputs[0], [rows, columns], name);
        OnnxAssert.Close(c.Outputs[0], c.Inputs[0].Floats, name, rtol: 0, atol: 0);
    }

    /// <summary>Dropout outside training is the identity, as our Dropout layer is in evaluation and removed when frozen.</summary>
    [Theory]
    [MemberData(nameof(DropoutCases))]
    public void DropoutInferenceIsIdentity(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        Assert.Equal("Dropout", c.Node.OpType);
        Assert.False(c.Node.HasInput(2), $"{name}: a training_mode input makes the output random");
        Assert.Single(c.Outputs);
        OnnxAssert.Shape(c.Outputs[0], c.Inputs[0].Dims, name);
        OnnxAssert.Close(c.Outputs[0], c.Inputs[0].Floats, name, rtol: 0, atol: 0);
    }

    /// <summary>x [.., N] + b [N]: our bias add over rows of N (exact: one rounding per element, as numpy).</summary>
    [Fact]
    public void AddBroadcastMatchesOnnx()
    {
        ConformanceCase c = ConformanceCase.Load("test_add_bcast");
        float[] y = c.Inputs[0].Floats.ToArray();
        int cols = c.Inputs[1].ElementCount;
        Elementwise.AddBias(y, y.Length / cols, cols, c.Inputs[1].Floats);
        OnnxAssert.Close(c.Outputs[0], y, "test_add_bcast", rtol: 0, atol: 0);
    }

    /// <summary>x − y as axpy with a = −1; x − b [N] as a bias add of −b (negation is exact).</summary>
    [Theory]
    [InlineData("test_sub")]
    [InlineData("test_sub_bcast")]
    public void SubMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        float[] y = c.Inputs[0].Floats.ToArray();
        if (c.Inputs[1].ElementCount == y.Length)
        {
            Elementwise.Axpy(-1, c.Inputs[1].Floats, y);
        }
        else
        {
            float[] negated = c.Inputs[1].Floats.ToArray();
            for (int i = 0; i < negated.Length; i++) negated[i] = -negated[i];
            Elementwise.AddBias(y, y.Length / negated.Length, negated.Length, negated);
        }
        OnnxAssert.Close(c.Outputs[0], y, name, rtol: 0, atol: 0);
    }
}
