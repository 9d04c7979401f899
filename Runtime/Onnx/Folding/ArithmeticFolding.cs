using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx.Mapping;

namespace Simd.Runtime.Onnx.Folding;

/// <summary>
/// Elementwise math of constants. Float constants go through the kernels the ops would run (<see cref="UnaryMath"/>,
/// and <see cref="ElementwiseOperands.Fold"/> for numpy's broadcasting), so a folded value has the bits the model
/// would compute; doubles and integers (shape arithmetic) through .NET's operators.
/// </summary>
internal static class ArithmeticFolding
{
    public static (string OpType, ConstantFolder Fold)[] Folders =>
    [
        Unary("Abs", UnaryFunction.Abs), Unary("Neg", UnaryFunction.Negate), Unary("Exp", UnaryFunction.Exp), Unary("Log", UnaryFunction.Log),
        Unary("Sqrt", UnaryFunction.Sqrt), Unary("Reciprocal", UnaryFunction.Reciprocal), Unary("Erf", UnaryFunction.Erf),
        ("Floor", (c, n, i) => Rounded(c, n, i[0]!, MathF.Floor, Math.Floor)),
        ("Ceil", (c, n, i) => Rounded(c, n, i[0]!, MathF.Ceiling, Math.Ceiling)),
        ("Clip", Clip),
        Binary("Add", BinaryFunction.Add), Binary("Sub", BinaryFunction.Subtract), Binary("Mul", BinaryFunction.Multiply),
        Binary("Div", BinaryFunction.Divide), Binary("Pow", BinaryFunction.Power),
        Variadic("Sum", BinaryFunction.Add), Variadic("Max", BinaryFunction.Maximum), Variadic("Min", BinaryFunction.Minimum),
        ("Mean", Mean),
    ];

    private static (string, ConstantFolder) Unary(string opType, UnaryFunction f) => (opType, (c, n, i) => UnaryOf(c, n, f, i[0]!, float.NegativeInfinity, float.PositiveInfinity));

    private static (string, ConstantFolder) Binary(string opType, BinaryFunction f) => (opType, (c, n, i) =>
    {
        c.Require(n, i.Length == 2 && i[0] is not null && i[1] is not null, $"{n.OpType} with {i.Length} inputs; expected 2.");
        return BinaryOf(c, n, f, i[0]!, i[1]!);
    });

    private static (string, ConstantFolder) Variadic(string opType, BinaryFunction f) => (opType, (c, n, i) => Many(c, n, f, i));

    private static OnnxTensor Many(ImportContext context, OnnxNode node, BinaryFunction f, OnnxTensor?[] inputs)
    {
        context.Require(node, inputs.Length >= 1 && inputs.All(t => t is not null), $"{node.OpType} needs one or more inputs, none of them empty.");
        OnnxTensor result = inputs[0]!;
        for (int k = 1; k < inputs.Length; k++) result = BinaryOf(context, node, f, result, inputs[k]!);
        return result;
    }

    private static OnnxTensor Mean(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor sum = Many(context, node, BinaryFunction.Add, inputs);
        context.Require(node, sum.DataType == OnnxDataType.Float, $"Mean of {sum.DataType} constants; the importer folds Mean of Float constants only.");
        return inputs.Length == 1 ? sum : BinaryOf(context, node, BinaryFunction.Divide, sum, OnnxTensor.FromFloats("the count of inputs", [], [inputs.Length]));
    }

    private static OnnxTensor UnaryOf(ImportContext context, OnnxNode node, UnaryFunction f, OnnxTensor x, float lo, float hi)
    {
        string name = node.Outputs[0];
        long[] dims = [.. x.Dims];
        switch (x.DataType)
        {
            case OnnxDataType.Float:
                var y = new float[x.ElementCount];
                UnaryMath.Forward(f, x.Floats, y, lo, hi);
                return OnnxTensor.FromFloats(name, dims, y);
            case OnnxDataType.Double when f is not UnaryFunction.Erf:
                return OnnxTensor.FromDoubles(name, dims, [.. x.Doubles.ToArray().Select(v => f switch
                {
                    UnaryFunction.Abs => Math.Abs(v),
                    UnaryFunction.Negate => -v,
                    UnaryFunction.Exp => Math.Exp(v),
                    UnaryFunction.Log => Math.Log(v),
                    UnaryFunction.Sqrt => Math.Sqrt(v),
                    UnaryFunction.Reciprocal => 1 / v,
                    _ => Math.Min(Math.Max(v, lo), hi),
                })]);
            case OnnxDataType.Int64 or OnnxDataType.Int32 when f is UnaryFunction.Abs or UnaryFunction.Negate:
                return Integers(name, dims, x.DataType, [.. x.Int64s.ToArray().Select(v => f == UnaryFunction.Abs ? Math.Abs(v) : -v)]);
            default:
                throw context.Fail(node, $"{node.OpType} of the {x.DataType} constant '{x.Name}'; the importer folds it for Float{(f is UnaryFunction.Erf ? "" : ", Double")}{(f is UnaryFunction.Abs or UnaryFunction.Negate ? ", Int64 and Int32" : "")} constants.");
        }
    }

    private static OnnxTensor Rounded(ImportContext context, OnnxNode node, OnnxTensor x, Func<float, float> single, Func<double, double> dbl) => x.DataType switch
    {
        OnnxDataType.Float => OnnxTensor.FromFloats(node.Outputs[0], [.. x.Dims], [.. x.Floats.ToArray().Select(single)]),
        OnnxDataType.Double => OnnxTensor.FromDoubles(node.Outputs[0], [.. x.Dims], [.. x.Doubles.ToArray().Select(dbl)]),
        _ => throw context.Fail(node, $"{node.OpType} of the {x.DataType} constant '{x.Name}'; the importer folds it for Float and Double constants."),
    };

    /// <summary>Clip's bounds: attributes before opset 11, optional constant inputs of one value from 11 on.</summary>
    private static OnnxTensor Clip(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        float lo = node.Float("min", float.NegativeInfinity), hi = node.Float("max", float.PositiveInfinity);
        if (context.Opset >= 11)
        {
            lo = inputs.Length > 1 && inputs[1] is OnnxTensor min ? Bound(context, node, min, "min") : float.NegativeInfinity;
            hi = inputs.Length > 2 && inputs[2] is OnnxTensor max ? Bound(context, node, max, "max") : float.PositiveInfinity;
        }
        return UnaryOf(context, node, UnaryFunction.Clip, inputs[0]!, lo, hi);
    }

    private static float Bound(ImportContext context, OnnxNode node, OnnxTensor t, string role)
    {
        context.Require(node, t.ElementCount == 1, $"{role} '{t.Name}' has shape {ImportContext.Dims(t)}; a bound is one value.");
        return t.DataType switch
        {
            OnnxDataType.Float => t.Floats[0],
            OnnxDataType.Double => (float)t.Doubles[0],
            _ => t.Int64s[0],
        };
    }

    /// <summary>f(a, b) under numpy's broadcasting; both of one element type (Pow's exponent may be an integer).</summary>
    public static OnnxTensor BinaryOf(ImportContext context, OnnxNode node, BinaryFunction f, OnnxTensor a, OnnxTensor b)
    {
        // Pow's exponent may be of any numeric type (T2); a Float base takes it as a float.
        if (f == BinaryFunction.Power && a.DataType == OnnxDataType.Float && b.DataType != OnnxDataType.Float)
            b = CastFolding.Convert(context, node, b, OnnxDataType.Float);
        context.Require(node, a.DataType == b.DataType,
            $"constants '{a.Name}' ({a.DataType}) and '{b.Name}' ({b.DataType}) are of two element types; {node.OpType} takes one.");
        if (a.DataType == OnnxDataType.Float) return ElementwiseOperands.Fold(context, node, f, a, b);
        context.Require(node, a.DataType != OnnxDataType.Bool, $"{node.OpType} of Bool constants; ONNX defines it for numbers.");
        long[] dims = BroadcastDims(context, node, a, b);
        ConstantFolding.RequireSize(context, node, dims);
        int[] ia = ConstantElements.BroadcastIndex(a.Dims, dims), ib = ConstantElements.BroadcastIndex(b.Dims, dims);
        string name = node.Outputs[0];
        if (a.DataType == OnnxDataType.Double)
        {
            ReadOnlySpan<double> x = a.Doubles, y = b.Doubles;
            var z = new double[ia.Length];
            for (int i = 0; i < z.Length; i++) z[i] = Double(f, x[ia[i]], y[ib[i]]);
            return OnnxTensor.FromDoubles(name, dims, z);
        }
        ReadOnlySpan<long> p = a.Int64s, q = b.Int64s;
        var r = new long[ia.Length];
        for (int i = 0; i < r.Length; i++)
        {
            long u = p[ia[i]], v = q[ib[i]];
            context.Require(node, v != 0 || f != BinaryFunction.Divide, $"integer division by zero (constant '{b.Name}').");
            r[i] = f switch
            {
                BinaryFunction.Add => u + v,
                BinaryFunction.Subtract => u - v,
                BinaryFunction.Multiply => u * v,
                // C's truncation toward zero, as ONNX Runtime divides integers.
                BinaryFunction.Divide => u / v,
                BinaryFunction.Power => (long)Math.Pow(u, v),
                BinaryFunction.Maximum => Math.Max(u, v),
                _ => Math.Min(u, v),
            };
        }
        return Integers(name, dims, a.DataType, r);
    }

    private static double Double(BinaryFunction f, double x, double y) => f switch
    {
        BinaryFunction.Add => x + y,
        BinaryFunction.Subtract => x - y,
        BinaryFunction.Multiply => x * y,
        BinaryFunction.Divide => x / y,
        BinaryFunction.Power => Math.Pow(x, y),
        BinaryFunction.Maximum => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y),
        _ => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y),
    };

    /// <summary>Int32 results wrap to 32 bits, as the element type holds them.</summary>
    private static OnnxTensor Integers(string name, long[] dims, OnnxDataType type, long[] values)
    {
        if (type == OnnxDataType.Int32)
            for (int i = 0; i < values.Length; i++) values[i] = unchecked((int)values[i]);
        return OnnxTensor.FromInt64s(name, dims, type, values);
    }

    public static long[] BroadcastDims(ImportContext context, OnnxNode node, OnnxTensor a, OnnxTensor b)
    {
        int rank = Math.Max(a.Dims.Count, b.Dims.Count);
        var dims = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            long da = Size(a, k, rank), db = Size(b, k, rank);
            context.Require(node, da == db || da == 1 || db == 1,
                string.Create(CultureInfo.InvariantCulture, $"constants '{a.Name}' {ImportContext.Dims(a)} and '{b.Name}' {ImportContext.Dims(b)} do not broadcast (axis {k - rank}: {da} against {db})."));
            dims[k] = da == 1 ? db : da;
        }
        return dims;
    }

    private static long Size(OnnxTensor t, int k, int rank) => k < rank - t.Dims.Count ? 1 : t.Dims[k - (rank - t.Dims.Count)];
}
