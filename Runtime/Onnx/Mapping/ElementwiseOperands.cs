using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// What the elementwise mappings share: an input read as a computed value or a float constant, a constant's shape
/// per sample, numpy's broadcasting of constants (folded at import), and the one <see cref="BinaryOp"/> that joins
/// two operands of any of these kinds.
/// </summary>
internal static class ElementwiseOperands
{
    /// <summary>The most values a constant folded at import may have (256 MiB of floats).</summary>
    private const long MaxFolded = 1 << 26;

    /// <summary>An input: a computed value (batch first) or a constant.</summary>
    public readonly record struct Operand(Value? Value, OnnxTensor? Constant);

    /// <summary>
    /// The input as a value or a float constant; a bool constant (a mask) reads as 0 and 1, and with
    /// <paramref name="integerConstant"/> an int64 or int32 one as its values.
    /// </summary>
    public static Operand Read(ImportContext context, OnnxNode node, int index, bool integerConstant = false)
    {
        if (!context.IsConstant(node, index)) return new(context.Data(node, index), null);
        OnnxTensor? t = context.Initializer(node, index);
        if (t is { DataType: OnnxDataType.Bool } || (integerConstant && t is { DataType: OnnxDataType.Int64 or OnnxDataType.Int32 }))
            return new(null, OnnxTensor.FromFloats(t.Name, [.. t.Dims], [.. t.Int64s.ToArray().Select(v => (float)v)]));
        return new(null, context.Weight(node, index, rank: null));
    }

    /// <summary>
    /// A constant's shape per sample against <paramref name="value"/>: its axes align with
    /// [N, sample…] from the right, so it has at most rank + 1 of them, and one at the batch's place must be 1.
    /// </summary>
    public static TensorShape Sample(ImportContext context, OnnxNode node, OnnxTensor constant, Value value)
    {
        int rank = value.SampleShape.Rank;
        IReadOnlyList<long> dims = constant.Dims;
        context.Require(node, dims.All(d => d >= 1), $"constant '{constant.Name}' of shape {ImportContext.Dims(constant)} has no values.");
        context.Require(node, dims.Count <= rank + 1 && (dims.Count <= rank || dims[0] == 1),
            $"constant '{constant.Name}' of shape {ImportContext.Dims(constant)} does not broadcast against {ImportContext.FullShape(value)} with the batch kept first: a constant has at most the value's {rank + 1} axes, and 1 on the batch's.");
        return new TensorShape([.. dims.Skip(dims.Count == rank + 1 ? 1 : 0).Select(d => (int)d)]);
    }

    /// <summary>
    /// Only the fixed scalars an exporter writes for a function (GELU's √2, ½ and 1, attention's scale, a power's
    /// exponent, a clamp's bound) stay fixed; a constant of more than one value added, subtracted, multiplied or
    /// divided is a model's parameter (a bias, a scale), which trains.
    /// </summary>
    public static bool Trainable(BinaryFunction f, OnnxTensor constant) =>
        constant.ElementCount > 1 && f is BinaryFunction.Add or BinaryFunction.Subtract or BinaryFunction.Multiply or BinaryFunction.Divide;

    /// <summary>f(a, b) as a node (or, for two constants, a constant folded at import).</summary>
    public static Operand Join(ImportContext context, OnnxNode node, BinaryFunction f, Operand a, Operand b)
    {
        if (a.Constant is OnnxTensor ca && b.Constant is OnnxTensor cb) return new(null, Fold(context, node, f, ca, cb));
        if (a.Value is Value va && b.Value is Value vb)
        {
            context.Require(node, va.SampleShape.Rank == vb.SampleShape.Rank,
                $"the inputs have shapes {ImportContext.FullShape(va)} and {ImportContext.FullShape(vb)}; two computed values broadcast only with the same rank (with fewer axes one's batch would meet an axis of the other).");
            return new(context.Add(node, new BinaryOp(f), va, vb), null);
        }
        bool constantFirst = a.Constant is not null;
        Value x = (constantFirst ? b.Value : a.Value)!;
        OnnxTensor c = (constantFirst ? a.Constant : b.Constant)!;
        var op = new BinaryOp(f, Sample(context, node, c, x), constantFirst, Trainable(f, c));
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "constant", c);
        return new(y, null);
    }

    /// <summary>Binds the node's output to the operand: a value, or a constant later nodes read as one.</summary>
    public static void Bind(ImportContext context, OnnxNode node, Operand result)
    {
        if (result.Value is Value v) context.Bind(node, v);
        else context.BindConstant(node, result.Constant!.Named(node.Outputs.Count > 0 ? node.Outputs[0] : ""));
    }

    /// <summary>f(a, b) of two constants under numpy's broadcasting, through the kernel the op would run.</summary>
    public static OnnxTensor Fold(ImportContext context, OnnxNode node, BinaryFunction f, OnnxTensor a, OnnxTensor b)
    {
        int rank = Math.Max(a.Dims.Count, b.Dims.Count);
        var dims = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            long da = Size(a, k, rank), db = Size(b, k, rank);
            context.Require(node, da == db || da == 1 || db == 1,
                $"constants '{a.Name}' {ImportContext.Dims(a)} and '{b.Name}' {ImportContext.Dims(b)} do not broadcast (axis {k - rank}: {da} against {db}).");
            dims[k] = Math.Max(da, db);
        }
        long total = dims.Aggregate(1L, (p, d) => p * d);
        context.Require(node, total <= MaxFolded,
            $"folding constants '{a.Name}' {ImportContext.Dims(a)} and '{b.Name}' {ImportContext.Dims(b)} would give {total} values; the importer folds at most {MaxFolded}.");
        float[] x = Expand(a, dims), y = Expand(b, dims);
        var z = new float[x.Length];
        BinaryMath.Forward(f, x, y, z);
        return OnnxTensor.FromFloats(node.Outputs.Count > 0 ? node.Outputs[0] : "", dims, z);
    }

    private static long Size(OnnxTensor t, int k, int rank) => k < rank - t.Dims.Count ? 1 : t.Dims[k - (rank - t.Dims.Count)];

    /// <summary>The constant's values spread over <paramref name="dims"/> (which it broadcasts to).</summary>
    public static float[] Expand(OnnxTensor t, long[] dims)
    {
        int rank = dims.Length;
        long total = dims.Aggregate(1L, (p, d) => p * d);
        var strides = new long[rank];
        long stride = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            long size = Size(t, k, rank);
            strides[k] = size == 1 ? 0 : stride;
            stride *= size;
        }
        ReadOnlySpan<float> values = t.Floats;
        var result = new float[total];
        for (long i = 0; i < total; i++)
        {
            long at = 0, rest = i;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += rest % dims[k] * strides[k];
                rest /= dims[k];
            }
            result[i] = values[(int)at];
        }
        return result;
    }
}
