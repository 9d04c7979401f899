namespace Simd.Runtime.Tensors;

/// <summary>
/// Lays tensors out back to back in one block, each starting on a 64-byte boundary, then allocates the block once
/// (llm.c style): reserve everything first, allocate, then hand out views.
/// </summary>
public sealed class BufferPlan
{
    private const int AlignmentFloats = AlignedBuffer.Alignment / sizeof(float);

    private readonly List<(int Offset, TensorShape Shape)> _entries = new();
    private AlignedBuffer? _buffer;

    /// <summary>Floats the block needs so far.</summary>
    public int Length { get; private set; }

    /// <summary>Reserves room for a tensor and returns its handle for <see cref="Tensor"/>.</summary>
    public int Reserve(TensorShape shape)
    {
        if (_buffer is not null) throw new InvalidOperationException("The plan has been allocated; reserve everything before Allocate.");
        int offset = Length;
        Length = checked(offset + (shape.Length + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats);
        _entries.Add((offset, shape));
        return _entries.Count - 1;
    }

    /// <summary>Allocates the block for everything reserved.</summary>
    public AlignedBuffer Allocate()
    {
        if (_buffer is not null) throw new InvalidOperationException("The plan has already been allocated.");
        _buffer = new AlignedBuffer(Length);
        return _buffer;
    }

    public Tensor Tensor(int handle)
    {
        if (_buffer is null) throw new InvalidOperationException("Allocate the plan before taking tensors from it.");
        var (offset, shape) = _entries[handle];
        return new Tensor(_buffer, offset, shape);
    }
}
