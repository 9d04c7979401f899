namespace Simd.Runtime.Tensors;

/// <summary>
/// A shaped view into an <see cref="AlignedBuffer"/>: no data of its own, so copying one costs nothing and the
/// hot loop can hand out spans without allocating.
/// </summary>
public readonly struct Tensor
{
    private readonly AlignedBuffer? _buffer;
    private readonly int _offset;

    public Tensor(AlignedBuffer buffer, int offset, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || offset > buffer.Length - shape.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset,
                $"A tensor of shape {shape} ({shape.Length} floats) at offset {offset} does not fit a buffer of {buffer.Length} floats.");
        _buffer = buffer;
        _offset = offset;
        Shape = shape;
    }

    public TensorShape Shape { get; }

    public int Length => Shape.Length;

    public bool IsEmpty => _buffer is null || Shape.Length == 0;

    public Span<float> Span => _buffer is null ? default : _buffer.Span.Slice(_offset, Shape.Length);

    /// <summary>The first <paramref name="rows"/> rows: a smaller batch in a tensor planned for the largest one.</summary>
    public Span<float> Rows(int rows)
    {
        if ((uint)rows > (uint)Shape[0])
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Tensor of shape {Shape} holds at most {Shape[0]} rows.");
        return _buffer is null ? default : _buffer.Span.Slice(_offset, rows * Shape.RowLength);
    }
}
