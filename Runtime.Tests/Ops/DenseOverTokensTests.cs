using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Dense over samples of several rows ([T, D], [A, B, D]: PyTorch's Linear on tokens): every leading axis is rows,
/// so the reference is the row-wise Dense over batch × tokens rows. Training (epilogue and scratch activations),
/// evaluation and the packed frozen path, over a sweep of token counts and widths.
/// </summary>
public sealed class DenseOverTokensTests
{
    private static double[][] Reference(OpReferenceArgs a)
    {
        double[] x = a.Inputs[0], w = a.Tensor("weights"), b = a.Tensor("bias");
        TensorShape shape = a.InputShapes[0];
        int inputs = shape[shape.Rank - 1], outputs = b.Length, rows = a.Rows * (shape.Length / inputs);
        var op = (DenseOp)a.Op;
        var y = new double[rows * outputs];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                double z = b[o];
                for (int i = 0; i < inputs; i++) z += x[r * inputs + i] * w[i * outputs + o];
                y[r * outputs + o] = ActivationReference.Forward(op.Activation, z, op.ActivationAlpha);
            }
        return [y];
    }

    private static OpCase Case(int[] sample, int outputs, ActivationKind kind = ActivationKind.Identity, bool training = true, bool prepared = false) =>
        new($"dense over {new TensorShape(sample)} →{outputs} {kind} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new DenseOp(outputs, kind), [new TensorShape(sample)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = !prepared,
            NonSmooth = DenseOpTests.Kinked(kind),
        };

    public static TheoryData<int[], int> Shapes() => new()
    {
        { new[] { 6, 8 }, 8 }, { new[] { 1, 5 }, 3 }, { new[] { 7, 1 }, 4 }, { new[] { 2, 3, 4 }, 5 }, { new[] { 5, 17 }, 33 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EachTokenIsARow(int[] sample, int outputs)
    {
        OpTester.Check(Case(sample, outputs));
        OpTester.Check(Case(sample, outputs, ActivationKind.Tanh));     // epilogue: backward reads y
        OpTester.Check(Case(sample, outputs, ActivationKind.GeluErf));  // scratch sized for every token
        OpTester.Check(Case(sample, outputs, training: false));
        OpTester.Check(Case(sample, outputs, ActivationKind.Relu, training: false, prepared: true));
    }

    [Fact]
    public void TheOutputKeepsTheLeadingAxes()
    {
        var op = new DenseOp(5);
        Assert.Equal(new TensorShape(2, 3, 5), op.InferShapes([new TensorShape(2, 3, 4)])[0]);
        Assert.Equal((4, 6), (op.Inputs, op.RowsPerSample));
        Assert.Equal("dense takes samples of at least one dimension (features last); got a scalar.",
            Assert.Throws<ArgumentException>(() => op.InferShapes([TensorShape.Scalar])).Message);
    }
}
