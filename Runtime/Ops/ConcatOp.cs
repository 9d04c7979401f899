using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Joins its inputs along one sample axis (the features of two Dense branches, the channels of two convolutions).
/// Every other dimension must agree. Backward hands each input its slice of dy.
/// </summary>
public sealed class ConcatOp : Op
{
    public const string Name = "concat";

    private int[] _widths = [];
    private int _outer, _width;

    /// <param name="axis">Sample axis (0 is the first dimension after the batch); negative counts from the end.</param>
    public ConcatOp(int axis = -1) => Axis = axis;

    public override string Kind => Name;

    /// <summary>The axis as given (negative from the end).</summary>
    public int Axis { get; }

    internal static Op Create(OpAttributes a) => new ConcatOp((int)a.GetInt64("axis", -TensorShape.MaxRank, TensorShape.MaxRank - 1));

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("axis", Axis);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.AtLeast(this, inputs, 1);
        var first = inputs[0];
        int axis = Axis < 0 ? Axis + first.Rank : Axis;
        if ((uint)axis >= (uint)first.Rank)
            throw new ArgumentException($"concat axis {Axis} is outside the {first.Rank} dimensions of each {first} sample.");
        var dims = first.ToArray();
        dims[axis] = 0;
        _widths = new int[inputs.Length];
        int inner = 1;
        for (int d = axis + 1; d < first.Rank; d++) inner *= first[d];
        for (int i = 0; i < inputs.Length; i++)
        {
            var s = inputs[i];
            bool fits = s.Rank == first.Rank;
            for (int d = 0; fits && d < s.Rank; d++) fits = d == axis || s[d] == first[d];
            if (!fits) throw new ArgumentException($"concat along axis {Axis}: input {i} is {s}, which does not match {first} outside that axis.");
            dims[axis] += s[axis];
            _widths[i] = s[axis] * inner;
        }
        _outer = 1;
        for (int d = 0; d < axis; d++) _outer *= first[d];
        var output = new TensorShape(dims);
        _width = output.Length / Math.Max(1, _outer);
        return [output];
    }

    internal override void Forward(in OpContext context)
    {
        Span<float> y = context.Output(0);
        int blocks = context.Rows * _outer, at = 0;
        for (int i = 0; i < _widths.Length; i++)
        {
            ReadOnlySpan<float> x = context.Input(i);
            int w = _widths[i];
            for (int b = 0; b < blocks; b++) x.Slice(b * w, w).CopyTo(y.Slice(b * _width + at, w));
            at += w;
        }
    }

    internal override void Backward(in OpContext context)
    {
        ReadOnlySpan<float> dy = context.OutputGradient(0);
        int blocks = context.Rows * _outer, at = 0;
        for (int i = 0; i < _widths.Length; i++)
        {
            int w = _widths[i];
            if (context.NeedsInputGradient(i))
            {
                Span<float> dx = context.InputGradient(i);
                for (int b = 0; b < blocks; b++) dy.Slice(b * _width + at, w).CopyTo(dx.Slice(b * w, w));
            }
            at += w;
        }
    }

    public override string ToString() => $"Concat(axis {Axis})";
}
