using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Graphs;

/// <summary>Builder helpers for the elementwise math ops (<see cref="UnaryMathOp"/>, <see cref="BinaryOp"/>).</summary>
public sealed partial class GraphBuilder
{
    /// <summary>f(x) elementwise: abs, neg, exp, log, sqrt, reciprocal or erf (<see cref="Clip"/> for clip).</summary>
    public Value Unary(UnaryFunction function, Value x) => Single(new UnaryMathOp(function), x);

    /// <summary>min(max(x, min), max) elementwise; the gradient passes inside [min, max].</summary>
    public Value Clip(Value x, float min, float max) => Single(new UnaryMathOp(UnaryFunction.Clip, min, max), x);

    /// <summary>f(a, b) elementwise with numpy's broadcasting over the sample axes (both inputs share the batch).</summary>
    public Value Binary(BinaryFunction function, Value a, Value b) => Single(new BinaryOp(function), a, b);

    /// <summary>
    /// f(x, constant), or f(constant, x) with <paramref name="constantFirst"/>, the constant the given values in
    /// <paramref name="shape"/> (broadcast against x's samples and over the batch); <paramref name="trainable"/>
    /// makes it a parameter. The model starts from these values (a new model; a loaded one reads its file).
    /// </summary>
    public Value Binary(BinaryFunction function, Value x, Tensors.TensorShape shape, float[] values, bool constantFirst = false, bool trainable = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != shape.Length)
            throw new ArgumentException($"The constant of shape {shape} holds {shape.Length} values, got {values.Length}.");
        var op = new BinaryOp(function, shape, constantFirst, trainable);
        Value y = Single(op, x);
        op.InitialConstant = [.. values];
        return y;
    }
}
