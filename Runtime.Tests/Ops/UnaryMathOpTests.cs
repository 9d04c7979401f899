using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>UnaryMathOp for every function on several shapes, at batches 1 and 7, against double references.</summary>
public sealed class UnaryMathOpTests
{
    public static TheoryData<UnaryFunction> EachFunction()
    {
        var data = new TheoryData<UnaryFunction>();
        foreach (var f in Enum.GetValues<UnaryFunction>()) data.Add(f);
        return data;
    }

    private const float Lo = -0.7f, Hi = 0.9f;

    private static double Reference(UnaryFunction f, double x) => f switch
    {
        UnaryFunction.Abs => Math.Abs(x),
        UnaryFunction.Negate => -x,
        UnaryFunction.Exp => Math.Exp(x),
        UnaryFunction.Log => Math.Log(x),
        UnaryFunction.Sqrt => Math.Sqrt(x),
        UnaryFunction.Reciprocal => 1 / x,
        UnaryFunction.Erf => ActivationReference.Erf(x),
        UnaryFunction.Clip => Math.Clamp(x, Lo, Hi),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>Log, Sqrt and Reciprocal see values in [0.5, 2.5] (the reciprocal either sign), away from their poles.</summary>
    private static Func<int, int, float[]?>? Values(UnaryFunction f, TensorShape shape) => f is UnaryFunction.Log or UnaryFunction.Sqrt or UnaryFunction.Reciprocal
        ? (id, rows) =>
        {
            var rng = new Random(rows * 31 + (int)f);
            return [.. Enumerable.Range(0, rows * shape.Length).Select(_ => (float)((0.5 + 2 * rng.NextDouble()) * (f == UnaryFunction.Reciprocal && rng.Next(2) == 0 ? -1 : 1)))];
        }
        : null;

    private static OpCase Case(UnaryFunction f, TensorShape shape, bool training = true) =>
        new($"unary {f} {shape} {(training ? "training" : "evaluation")}", () => f == UnaryFunction.Clip ? new UnaryMathOp(f, Lo, Hi) : new UnaryMathOp(f), [shape],
            a => [Array.ConvertAll(a.Inputs[0], v => Reference(f, v))])
        {
            Batches = [1, 7],
            Training = training,
            InputValues = Values(f, shape),
            NonSmooth = f is UnaryFunction.Abs or UnaryFunction.Clip,
        };

    [Theory]
    [MemberData(nameof(EachFunction))]
    public void EachFunctionOnEachShape(UnaryFunction f)
    {
        OpTester.Check(Case(f, new TensorShape(1)));
        OpTester.Check(Case(f, new TensorShape(5)));
        OpTester.Check(Case(f, new TensorShape(3, 4)));
        OpTester.Check(Case(f, new TensorShape(2, 3, 5)));
        OpTester.Check(Case(f, new TensorShape(2, 3, 5), training: false));
    }

    [Fact]
    public void SettingsRoundTripThroughTheRegistry()
    {
        var clip = (UnaryMathOp)OpRegistry.Clone(new UnaryMathOp(UnaryFunction.Clip, -1.5f, 2));
        Assert.Equal((UnaryFunction.Clip, -1.5f, 2f), (clip.Function, clip.Min, clip.Max));
        var erf = (UnaryMathOp)OpRegistry.Clone(new UnaryMathOp(UnaryFunction.Erf));
        Assert.Equal(UnaryFunction.Erf, erf.Function);
        var open = (UnaryMathOp)OpRegistry.Clone(new UnaryMathOp(UnaryFunction.Clip));
        Assert.Equal((float.NegativeInfinity, float.PositiveInfinity), (open.Min, open.Max));
    }

    [Fact]
    public void AnUnknownFunctionIsRefusedByName()
    {
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(UnaryMathOp.Name).Set("function", "sin")));
        Assert.Equal("unary attribute 'function' is 'sin', expected one of abs, neg, exp, log, sqrt, reciprocal, erf, clip.", e.Message);
    }

    [Fact]
    public void BoundsOnAnotherFunctionAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new UnaryMathOp(UnaryFunction.Exp, 0, 1));
        Assert.Equal("only clip has bounds; exp got [0, 1].", e.Message);
    }
}
