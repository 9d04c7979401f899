using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Cuts each sample along one sample axis into consecutive pieces of the given sizes, one output each (a fused
/// Q, K, V projection cut into its three parts; ONNX's Split). Every other dimension is kept. Backward joins the
/// outputs' gradients back along the axis, as <see cref="ConcatOp"/>'s forward joins values.
/// </summary>
public sealed class SplitOp : Op
{
    public const string Name = "split";

    private readonly int[] _sizes;
    private int[] _widths = [];
    private int _outer, _width;

    /// <param name="axis">Sample axis (0 is the first dimension after the batch); negative counts from the end.</param>
    /// <param name="sizes">The size of each piece along the axis, in order; together they cover it.</param>
    public SplitOp(int axis, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0 || sizes.Any(s => s < 0))
            throw new ArgumentException($"split takes one size or more, none negative; got [{string.Join(", ", sizes)}].");
        Axis = axis;
        _sizes = (int[])sizes.Clone();
    }

    public override string Kind => Name;

    /// <summary>The axis as given (negative from the end).</summary>
    public int Axis { get; }

    /// <summary>The size of each output along the axis.</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    internal static Op Create(OpAttributes a) => new SplitOp((int)a.GetInt64("axis", -TensorShape.MaxRank, TensorShape.MaxRank - 1),
        Array.ConvertAll(a.GetInt64s("sizes"), s => s is >= 0 and <= int.MaxValue ? (int)s : throw a.Bad("sizes", $"holds {s}, expected sizes ≥ 0")));

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("axis", Axis).Set("sizes", Array.ConvertAll(_sizes, s => (long)s));

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape x = inputs[0];
        int axis = Axis < 0 ? Axis + x.Rank : Axis;
        if ((uint)axis >= (uint)x.Rank)
            throw new ArgumentException($"split axis {Axis} is outside the {x.Rank} dimensions of each {x} sample.");
        long total = _sizes.Sum(s => (long)s);
        if (total != x[axis])
            throw new ArgumentException($"split of {x} along axis {Axis} into [{string.Join(", ", _sizes)}]: the sizes add up to {total}, the axis has {x[axis]}.");
        int inner = 1;
        for (int d = axis + 1; d < x.Rank; d++) inner *= x[d];
        _outer = 1;
        for (int d = 0; d < axis; d++) _outer *= x[d];
        _width = x[axis] * inner;
        _widths = Array.ConvertAll(_sizes, s => s * inner);
        var shapes = new TensorShape[_sizes.Length];
        var dims = x.ToArray();
        for (int i = 0; i < shapes.Length; i++)
        {
            dims[axis] = _sizes[i];
            shapes[i] = new TensorShape(dims);
        }
        return shapes;
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        int blocks = context.Rows * _outer, at = 0;
        for (int i = 0; i < _widths.Length; i++)
        {
            Span<float> y = context.Output(i);
            int w = _widths[i];
            for (int b = 0; b < blocks; b++) x.Slice(b * _width + at, w).CopyTo(y.Slice(b * w, w));
            at += w;
        }
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        Span<float> dx = context.InputGradient(0);
        int blocks = context.Rows * _outer, at = 0;
        for (int i = 0; i < _widths.Length; i++)
        {
            ReadOnlySpan<float> dy = context.OutputGradient(i);
            int w = _widths[i];
            for (int b = 0; b < blocks; b++) dy.Slice(b * w, w).CopyTo(dx.Slice(b * _width + at, w));
            at += w;
        }
    }

    public override string ToString() => $"Split(axis {Axis}, [{string.Join(", ", _sizes)}])";
}
