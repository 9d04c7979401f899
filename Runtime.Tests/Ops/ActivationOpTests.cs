using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

public sealed class ActivationOpTests
{
    public static TheoryData<ActivationKind> EachActivation()
    {
        var data = new TheoryData<ActivationKind>();
        foreach (var kind in Enum.GetValues<ActivationKind>()) data.Add(kind);
        return data;
    }

    private static OpCase Case(ActivationKind kind, TensorShape shape, bool training = true, float alpha = float.NaN) =>
        new($"activation {kind} α={alpha} {shape} {(training ? "training" : "evaluation")}", () => new ActivationOp(kind, alpha), [shape], a =>
        {
            var op = (ActivationOp)a.Op;
            return [Array.ConvertAll(a.Inputs[0], v => ActivationReference.Forward(kind, v, op.Alpha))];
        })
        {
            Training = training,
            NonSmooth = DenseOpTests.Kinked(kind),
        };

    [Theory]
    [MemberData(nameof(EachActivation))]
    public void EachActivationOnEachShape(ActivationKind kind)
    {
        OpTester.Check(Case(kind, new TensorShape(1)));
        OpTester.Check(Case(kind, new TensorShape(5)));
        OpTester.Check(Case(kind, new TensorShape(3, 4)));
        OpTester.Check(Case(kind, new TensorShape(2, 3, 5), training: false));
    }

    [Theory]
    [InlineData(ActivationKind.LeakyRelu, 0.2f)]
    [InlineData(ActivationKind.LeakyRelu, -0.1f)]
    [InlineData(ActivationKind.Elu, 0.5f)]
    public void CustomAlpha(ActivationKind kind, float alpha) => OpTester.Check(Case(kind, new TensorShape(4, 4), alpha: alpha));
}
