using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// y = f(x) elementwise on any shape, f one of <see cref="UnaryFunction"/> (ONNX's Abs, Neg, Exp, Log, Sqrt,
/// Reciprocal, Erf and Clip, which PyTorch's exports build GELU and friends from). Backward: dx = dy·f′, from x or,
/// for exp, sqrt and reciprocal, from y; Clip passes dy inside [min, max], its bounds included.
/// </summary>
public sealed class UnaryMathOp : Op
{
    public const string Name = "unary";

    /// <param name="min">Clip's lower bound (−∞: none); only Clip has bounds.</param>
    /// <param name="max">Clip's upper bound (+∞: none).</param>
    public UnaryMathOp(UnaryFunction function, float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Not a unary function.");
        if (float.IsNaN(min) || float.IsNaN(max)) throw new ArgumentException("clip bounds must be numbers, got NaN.");
        if (function != UnaryFunction.Clip && (min != float.NegativeInfinity || max != float.PositiveInfinity))
            throw new ArgumentException($"only clip has bounds; {MathFunctionNames.Name(function)} got [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        Function = function;
        Min = min;
        Max = max;
    }

    public override string Kind => Name;

    public UnaryFunction Function { get; }

    public float Min { get; }

    public float Max { get; }

    internal static Op Create(OpAttributes a)
    {
        UnaryFunction f = MathFunctionNames.ParseUnary(a, "function");
        if (f != UnaryFunction.Clip) return new UnaryMathOp(f);
        double min = a.GetDouble("min", double.NegativeInfinity), max = a.GetDouble("max", double.PositiveInfinity);
        if (double.IsNaN(min)) throw a.Bad("min", "is NaN, expected a number");
        if (double.IsNaN(max)) throw a.Bad("max", "is NaN, expected a number");
        return new UnaryMathOp(f, (float)min, (float)max);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("function", MathFunctionNames.Name(Function));
        if (Function == UnaryFunction.Clip) attributes.Set("min", Min).Set("max", Max);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        return [inputs[0]];
    }

    internal override void Forward(in OpContext context) => UnaryMath.Forward(Function, context.Input(0), context.Output(0), Min, Max);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            UnaryMath.Backward(Function, context.Input(0), context.Output(0), context.OutputGradient(0), context.InputGradient(0), Min, Max);
    }

    public override string ToString() => Function == UnaryFunction.Clip
        ? string.Create(CultureInfo.InvariantCulture, $"Clip({Min}, {Max})")
        : $"Unary({MathFunctionNames.Name(Function)})";
}
