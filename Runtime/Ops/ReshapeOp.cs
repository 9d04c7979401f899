using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample with another shape of the same size; one dimension may be -1 (whatever is left), and 0 keeps the
/// input's dimension there (ONNX's rule). A view, like <see cref="FlattenOp"/>.
/// </summary>
public sealed class ReshapeOp : Op
{
    public const string Name = "reshape";

    private readonly int[] _shape;

    public ReshapeOp(params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Length is 0 or > TensorShape.MaxRank)
            throw new ArgumentException($"reshape takes 1 to {TensorShape.MaxRank} dimensions, got {sampleShape.Length}.", nameof(sampleShape));
        if (sampleShape.Count(d => d == -1) > 1 || sampleShape.Any(d => d < -1))
            throw new ArgumentException($"reshape dimensions [{string.Join(", ", sampleShape)}] may hold one -1 and otherwise sizes ≥ 0.", nameof(sampleShape));
        _shape = (int[])sampleShape.Clone();
    }

    public override string Kind => Name;

    public IReadOnlyList<int> Shape => _shape;

    internal static Op Create(OpAttributes a) => new ReshapeOp(Array.ConvertAll(a.GetInt64s("shape"), d =>
        d is >= -1 and <= int.MaxValue ? (int)d : throw a.Bad("shape", $"holds {d}, expected sizes ≥ 0 or one -1")));

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("shape", Array.ConvertAll(_shape, d => (long)d));

    internal override bool IsView => true;

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        var input = inputs[0];
        var dims = (int[])_shape.Clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 0)
            {
                if (i >= input.Rank) throw new ArgumentException($"reshape to [{string.Join(", ", _shape)}]: dimension {i} is 0 (keep), but the input {input} has no dimension {i}.");
                dims[i] = input[i];
            }
            if (dims[i] == -1) free = i;
            else known *= dims[i];
        }
        if (free >= 0)
        {
            if (known == 0 || input.Length % known != 0)
                throw new ArgumentException($"reshape cannot fit the {input.Length} values of each {input} sample into [{string.Join(", ", _shape)}].");
            dims[free] = (int)(input.Length / known);
        }
        else if (known != input.Length)
        {
            throw new ArgumentException($"reshape to [{string.Join(", ", _shape)}] holds {known} values per sample, the input {input} has {input.Length}.");
        }
        return [new TensorShape(dims)];
    }

    internal override void Forward(in OpContext context) => ViewCopy.Forward(context);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0)) ViewCopy.Copy(context.OutputGradient(0), context.InputGradient(0));
    }

    public override string ToString() => $"Reshape([{string.Join(", ", _shape)}])";
}
