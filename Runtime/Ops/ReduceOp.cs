using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// A reduction over a set of sample axes (never the batch): sum, mean, max, min, prod, L1, L2, log-sum-exp or sum
/// of squares (ONNX's Reduce* ops), keeping the reduced axes as size 1 or dropping them. Max and Min share the
/// gradient evenly among tied maxima (PyTorch's <c>amax</c>, not <c>max(dim)</c>, which picks one index): the
/// result does not depend on which tie comes first. See <see cref="AxisReductions"/> for the other gradients.
/// </summary>
public sealed class ReduceOp : Op
{
    public const string Name = "reduce";

    private static readonly (string Name, ReduceFunction Function)[] Functions =
    [
        ("sum", ReduceFunction.Sum), ("mean", ReduceFunction.Mean), ("max", ReduceFunction.Max), ("min", ReduceFunction.Min),
        ("prod", ReduceFunction.Prod), ("l1", ReduceFunction.L1), ("l2", ReduceFunction.L2), ("log-sum-exp", ReduceFunction.LogSumExp),
        ("sum-square", ReduceFunction.SumSquare),
    ];

    private readonly int[] _axes;
    private int[] _sampleDims = [];
    private bool[] _reduced = [];
    private int _inputLength;
    private int _outputLength;

    /// <param name="axes">Sample axes (0 is the first axis after the batch; negative counts from the end), at least one, none twice.</param>
    /// <param name="keepDims">Keep each reduced axis as size 1 (ONNX's keepdims = 1).</param>
    public ReduceOp(ReduceFunction function, IReadOnlyList<int> axes, bool keepDims)
    {
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Not a reduce function.");
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0) throw new ArgumentException("reduce needs at least one axis.");
        Function = function;
        _axes = [.. axes];
        KeepDims = keepDims;
    }

    public override string Kind => Name;

    public ReduceFunction Function { get; }

    /// <summary>The sample axes as given (negative ones resolve against the input's rank).</summary>
    public IReadOnlyList<int> Axes => _axes;

    public bool KeepDims { get; }

    /// <summary>The function's stable name (the model file's and the command line's).</summary>
    public static string FunctionName(ReduceFunction function)
    {
        foreach (var (name, f) in Functions)
            if (f == function) return name;
        throw new ArgumentOutOfRangeException(nameof(function), function, "Not a reduce function.");
    }

    internal static Op Create(OpAttributes a)
    {
        string value = a.GetString("function");
        ReduceFunction? function = null;
        foreach (var (name, f) in Functions)
            if (name == value) function = f;
        if (function is null) throw a.Bad("function", $"is '{value}', expected one of {string.Join(", ", Functions.Select(t => t.Name))}");
        long[] axes = a.GetInt64s("axes");
        if (axes.Length == 0) throw a.Bad("axes", "is empty, expected at least one axis");
        if (axes.Any(x => x < -TensorShape.MaxRank || x >= TensorShape.MaxRank))
            throw a.Bad("axes", $"holds [{string.Join(", ", axes)}], expected axes within ±{TensorShape.MaxRank}");
        return new ReduceOp(function.Value, [.. axes.Select(x => (int)x)], a.GetInt64("keepdims", 0, 1) == 1);
    }

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("function", FunctionName(Function)).Set("axes", [.. _axes.Select(x => (long)x)]).Set("keepdims", KeepDims ? 1 : 0);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape x = inputs[0];
        var reduced = new bool[x.Rank];
        foreach (int axis in _axes)
        {
            if (axis < -x.Rank || axis >= x.Rank)
                throw new ArgumentException($"reduce axis {axis} is outside the {x.Rank} sample dimension{(x.Rank == 1 ? "" : "s")} of {x} (axis 0 is the first after the batch).");
            int a = axis < 0 ? axis + x.Rank : axis;
            if (reduced[a]) throw new ArgumentException($"reduce axis {a} is given twice in [{string.Join(", ", _axes)}].");
            reduced[a] = true;
        }
        var output = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (!reduced[i]) output.Add(x[i]);
            else if (KeepDims) output.Add(1);
        }
        _sampleDims = x.ToArray();
        _reduced = reduced;
        _inputLength = x.Length;
        var y = new TensorShape([.. output]);
        _outputLength = y.Length;
        return [y];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        int n = maxBatch * _inputLength, m = maxBatch * _outputLength;
        int length = AxisReductions.ScratchLength(Function, n, m, backward: false);
        if (training) length = Math.Max(length, AxisReductions.ScratchLength(Function, n, m, backward: true));
        return length == 0 ? [] : [length];
    }

    internal override void Forward(in OpContext context)
    {
        int rank = _sampleDims.Length + 1;
        Span<int> dims = stackalloc int[rank];
        Span<bool> reduced = stackalloc bool[rank];
        Layout(context.Rows, dims, reduced);
        Span<float> scratch = AxisReductions.ScratchLength(Function, context.Rows * _inputLength, context.Rows * _outputLength, backward: false) == 0 ? default : context.Scratch(0);
        AxisReductions.Forward(Function, context.Input(0), dims, reduced, context.Output(0), scratch);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        int rank = _sampleDims.Length + 1;
        Span<int> dims = stackalloc int[rank];
        Span<bool> reduced = stackalloc bool[rank];
        Layout(context.Rows, dims, reduced);
        Span<float> scratch = AxisReductions.ScratchLength(Function, context.Rows * _inputLength, context.Rows * _outputLength, backward: true) == 0 ? default : context.Scratch(0);
        AxisReductions.Backward(Function, context.Input(0), context.Output(0), context.OutputGradient(0), context.InputGradient(0), dims, reduced, scratch);
    }

    /// <summary>The batch as a kept leading axis before the sample's.</summary>
    private void Layout(int rows, Span<int> dims, Span<bool> reduced)
    {
        dims[0] = rows;
        reduced[0] = false;
        _sampleDims.CopyTo(dims[1..]);
        _reduced.CopyTo(reduced[1..]);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Reduce({FunctionName(Function)}, axes [{string.Join(", ", _axes)}]{(KeepDims ? ", keepdims" : "")})");
}
