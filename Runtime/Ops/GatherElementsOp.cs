using System.Globalization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Picks elements of each sample along one axis by fixed indices (ONNX's GatherElements with constant indices,
/// PyTorch's take_along_dim): the output has the indices' shape, and its element at position p reads the input at p
/// with the axis's coordinate replaced by indices[p]. The indices are the same for every sample. Backward adds each
/// output's gradient into the element it read (an element picked twice sums both) and zeros the others.
/// </summary>
public sealed class GatherElementsOp : Op
{
    public const string Name = "gather_elements";

    private readonly int[] _shape, _indices;
    private int[] _from = [];
    private int _inLength, _outLength;
    private int _scratch = -1;

    /// <param name="axis">The sample axis the indices run along (0 is the first after the batch); negative from the end.</param>
    /// <param name="shape">The indices' (and the output's) sample shape: the input's rank, no larger than the input on any other axis.</param>
    /// <param name="indices">One index into the axis per output element, in row-major order of <paramref name="shape"/>.</param>
    public GatherElementsOp(int axis, int[] shape, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(indices);
        if (shape.Length is < 1 or > TensorShape.MaxRank || shape.Any(d => d < 1))
            throw new ArgumentException($"gather_elements takes indices of 1 to {TensorShape.MaxRank} axes, each of size at least 1, got [{string.Join(", ", shape)}].", nameof(shape));
        long length = shape.Aggregate(1L, (p, d) => p * d);
        if (indices.Length != length)
            throw new ArgumentException($"gather_elements indices of shape [{string.Join(", ", shape)}] hold {length} values, got {indices.Length}.", nameof(indices));
        if (axis < -shape.Length || axis >= shape.Length)
            throw new ArgumentException($"gather_elements axis {axis} is outside the {shape.Length} axes of the indices [{string.Join(", ", shape)}].", nameof(axis));
        Axis = axis;
        _shape = (int[])shape.Clone();
        _indices = (int[])indices.Clone();
    }

    public override string Kind => Name;

    /// <summary>The axis as given (negative from the end).</summary>
    public int Axis { get; }

    /// <summary>The indices' sample shape, which is the output's.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The indices, row-major over <see cref="Shape"/>.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Once the shapes are known: the flat input element each output element reads, per sample.</summary>
    internal IReadOnlyList<int> Sources => _from;

    internal static Op Create(OpAttributes a)
    {
        int[] Read(string name) => Array.ConvertAll(a.GetInt64s(name), v =>
            v is >= int.MinValue and <= int.MaxValue ? (int)v : throw a.Bad(name, $"holds {v}, outside the sizes a tensor has"));
        int[] shape = Read("shape"), indices = Read("indices");
        if (shape.Length is < 1 or > TensorShape.MaxRank || shape.Any(d => d < 1))
            throw a.Bad("shape", $"is [{string.Join(", ", shape)}], expected 1 to {TensorShape.MaxRank} sizes of at least 1");
        long length = shape.Aggregate(1L, (p, d) => p * d);
        if (indices.Length != length) throw a.Bad("indices", $"holds {indices.Length} values, expected {length} for the shape [{string.Join(", ", shape)}]");
        return new GatherElementsOp((int)a.GetInt64("axis", -shape.Length, shape.Length - 1), shape, indices);
    }

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("axis", Axis).Set("shape", Array.ConvertAll(_shape, d => (long)d)).Set("indices", Array.ConvertAll(_indices, i => (long)i));

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape input = inputs[0];
        int rank = _shape.Length, axis = Axis < 0 ? Axis + rank : Axis;
        string indices = $"[{string.Join(", ", _shape)}]";
        if (input.Rank != rank)
            throw new ArgumentException($"gather_elements with indices {indices} takes samples of {rank} axes; the input is {input}.");
        for (int k = 0; k < rank; k++)
            if (k != axis && _shape[k] > input[k])
                throw new ArgumentException($"gather_elements with indices {indices}: axis {k} of the indices is larger than the input {input}'s.");
        int[] strides = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--)
        {
            strides[k] = s;
            s *= input[k];
        }
        var from = new int[_indices.Length];
        for (int i = 0; i < from.Length; i++)
        {
            int index = _indices[i];
            if (index < 0 || index >= input[axis])
                throw new ArgumentException($"gather_elements: index {index} (element {i} of the indices {indices}) is outside axis {axis} of {input} (0 to {input[axis] - 1}).");
            int rest = i, at = 0;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += (k == axis ? index : rest % _shape[k]) * strides[k];
                rest /= _shape[k];
            }
            from[i] = at;
        }
        _from = from;
        _inLength = input.Length;
        _outLength = from.Length;
        return [new TensorShape(_shape)];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        _scratch = training ? 0 : -1;
        return training ? [maxBatch * _inLength] : [];
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> z = context.Output(0);
        ReadOnlySpan<int> from = _from;
        for (int r = 0; r < context.Rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * _inLength, _inLength);
            Span<float> zr = z.Slice(r * _outLength, _outLength);
            for (int i = 0; i < zr.Length; i++) zr[i] = xr[from[i]];
        }
    }

    /// <summary>Into scratch, then copied: the input's gradient may share memory with the output's, which all of it reads.</summary>
    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        ReadOnlySpan<float> dz = context.OutputGradient(0);
        Span<float> dx = context.Scratch(_scratch)[..(context.Rows * _inLength)];
        dx.Clear();
        ReadOnlySpan<int> from = _from;
        for (int r = 0; r < context.Rows; r++)
        {
            ReadOnlySpan<float> g = dz.Slice(r * _outLength, _outLength);
            Span<float> dxr = dx.Slice(r * _inLength, _inLength);
            for (int i = 0; i < g.Length; i++) dxr[from[i]] += g[i];
        }
        dx.CopyTo(context.InputGradient(0));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"GatherElements(axis {Axis}, indices [{string.Join(", ", _shape)}])");
}
