using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Dropout at rate 0 (a copy) and above: the reference draws the mask from the same stream the op was handed, and
/// the gradient check rewinds that stream before every forward, so backward must reuse the mask its forward drew.
/// </summary>
public sealed class DropoutOpTests
{
    private static OpCase Case(float rate, TensorShape shape, bool training = true) =>
        new($"dropout {rate} {shape} {(training ? "training" : "evaluation")}", () => new DropoutOp(rate), [shape], a =>
        {
            var x = a.Inputs[0];
            if (!a.Training || rate == 0f) return [x];
            float keep = 1f / (1f - rate);
            var y = new double[x.Length];
            for (int i = 0; i < x.Length; i++) y[i] = a.Random.NextSingle() >= rate ? x[i] * keep : 0f;
            return [y];
        })
        { Training = training, ForwardTolerance = 1e-7 };

    [Theory]
    [InlineData(0f)]
    [InlineData(0.3f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void TrainingAndEvaluation(float rate)
    {
        foreach (var shape in new[] { new TensorShape(1), new TensorShape(5), new TensorShape(3, 4), new TensorShape(64) })
        {
            OpTester.Check(Case(rate, shape));
            OpTester.Check(Case(rate, shape, training: false));
        }
    }
}
