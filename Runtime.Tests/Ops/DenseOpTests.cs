using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Dense with every activation: the ones whose backward reads only y run in GEMM's epilogue, the others keep the
/// pre-activation in scratch (LeakyReLU with a negative slope among them), and frozen the packed GEMM applies any of them.
/// </summary>
public sealed class DenseOpTests
{
    public static TheoryData<ActivationKind, int, int> EachActivation()
    {
        var data = new TheoryData<ActivationKind, int, int>();
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            data.Add(kind, 5, 3);
            data.Add(kind, 17, 9);
        }
        return data;
    }

    public static TheoryData<int, int> Shapes() => new() { { 1, 1 }, { 1, 7 }, { 8, 1 }, { 16, 16 }, { 33, 17 }, { 64, 40 } };

    /// <summary>Activations with a jump in the derivative: differences that straddle it are skipped.</summary>
    internal static bool Kinked(ActivationKind kind) =>
        kind is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Selu or ActivationKind.HardSigmoid or ActivationKind.HardSwish;

    internal static OpCase Case(ActivationKind kind, int inputs, int outputs, float alpha = float.NaN, bool training = true, bool prepared = false) =>
        new($"dense {inputs}→{outputs} {kind} α={alpha} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new DenseOp(outputs, kind, alpha), [new TensorShape(inputs)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = !prepared,
            NonSmooth = Kinked(kind),
        };

    /// <summary>y[r, o] = act(Σᵢ x[r, i]·W[i, o] + b[o]), summed in double.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        double[] x = a.Inputs[0], w = a.Tensor("weights"), b = a.Tensor("bias");
        int inputs = a.InputShapes[0][0], outputs = b.Length;
        var op = (DenseOp)a.Op;
        var y = new double[a.Rows * outputs];
        for (int r = 0; r < a.Rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                double z = b[o];
                for (int i = 0; i < inputs; i++) z += x[r * inputs + i] * w[i * outputs + o];
                y[r * outputs + o] = ActivationReference.Forward(op.Activation, z, op.ActivationAlpha);
            }
        return [y];
    }

    [Theory]
    [MemberData(nameof(EachActivation))]
    public void TrainsWithEachActivation(ActivationKind kind, int inputs, int outputs) => OpTester.Check(Case(kind, inputs, outputs));

    [Theory]
    [MemberData(nameof(EachActivation))]
    public void EvaluatesWithEachActivation(ActivationKind kind, int inputs, int outputs) => OpTester.Check(Case(kind, inputs, outputs, training: false));

    [Theory]
    [MemberData(nameof(EachActivation))]
    public void FrozenRunsEachActivationInThePackedEpilogue(ActivationKind kind, int inputs, int outputs) =>
        OpTester.Check(Case(kind, inputs, outputs, prepared: true, training: false));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SweepOfShapesWithAndWithoutTheEpilogue(int inputs, int outputs)
    {
        OpTester.Check(Case(ActivationKind.Identity, inputs, outputs));
        OpTester.Check(Case(ActivationKind.Tanh, inputs, outputs));     // epilogue: backward reads y
        OpTester.Check(Case(ActivationKind.GeluErf, inputs, outputs));  // scratch: backward reads z
        OpTester.Check(Case(ActivationKind.Identity, inputs, outputs, prepared: true, training: false));
    }

    [Theory]
    [InlineData(0.2f, true)]
    [InlineData(0f, true)]
    [InlineData(-0.1f, false)]
    public void LeakyReluSlopeDecidesTheEpilogue(float alpha, bool epilogue)
    {
        var op = new DenseOp(3, ActivationKind.LeakyRelu, alpha);
        Assert.Equal(epilogue, op.FusesIntoEpilogue);
        OpTester.Check(Case(ActivationKind.LeakyRelu, 6, 5, alpha));
    }
}
