using System.Runtime.CompilerServices;

namespace Simd.Runtime.Tensors;

/// <summary>
/// A row-major shape of rank 0 to <see cref="MaxRank"/>, held inline (no array), so shapes travel through the hot
/// loop without allocating. In a graph the first dimension of an activation is the batch.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    /// <summary>The most dimensions a shape holds (ONNX models in practice stay within six).</summary>
    public const int MaxRank = 8;

    private readonly Dimensions _dims;

    public TensorShape(int d0) : this([d0]) { }

    public TensorShape(int d0, int d1) : this([d0, d1]) { }

    public TensorShape(int d0, int d1, int d2) : this([d0, d1, d2]) { }

    public TensorShape(int d0, int d1, int d2, int d3) : this([d0, d1, d2, d3]) { }

    public TensorShape(ReadOnlySpan<int> dimensions)
    {
        if (dimensions.Length > MaxRank)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions.Length, $"A shape has at most {MaxRank} dimensions, got {dimensions.Length}.");
        long length = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"Dimensions must not be negative, got {Format(dimensions)}.");
            _dims[i] = dimensions[i];
            length *= dimensions[i];
            if (length > int.MaxValue) throw new OverflowException($"Shape {Format(dimensions)} has more than {int.MaxValue} elements.");
        }
        Rank = dimensions.Length;
        Length = (int)length;
    }

    /// <summary>A shape of rank 0: one element.</summary>
    public static TensorShape Scalar => new([]);

    public int Rank { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Elements per index of the first dimension.</summary>
    public int RowLength => Rank == 0 ? 1 : (this[0] == 0 ? Tail(1).Length : Length / this[0]);

    public int this[int dimension] => (uint)dimension < (uint)Rank
        ? _dims[dimension]
        : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Shape {this} has rank {Rank}.");

    /// <summary>The dimensions as a new array (file writers, messages).</summary>
    public int[] ToArray()
    {
        var a = new int[Rank];
        for (int i = 0; i < Rank; i++) a[i] = _dims[i];
        return a;
    }

    /// <summary>The same shape with the first dimension replaced (a smaller batch in a buffer planned for a larger one).</summary>
    public TensorShape WithRows(int rows) => Prepend(rows, Tail(1));

    /// <summary>The dimensions from <paramref name="start"/> on: a sample's shape without its batch dimension.</summary>
    public TensorShape Tail(int start)
    {
        if ((uint)start > (uint)Rank) throw new ArgumentOutOfRangeException(nameof(start), start, $"Shape {this} has rank {Rank}.");
        Span<int> d = stackalloc int[Rank - start];
        for (int i = 0; i < d.Length; i++) d[i] = _dims[start + i];
        return new TensorShape(d);
    }

    /// <summary>[first, shape...]: a sample shape with a batch dimension in front.</summary>
    public static TensorShape Prepend(int first, TensorShape shape)
    {
        Span<int> d = stackalloc int[shape.Rank + 1];
        d[0] = first;
        for (int i = 0; i < shape.Rank; i++) d[i + 1] = shape._dims[i];
        return new TensorShape(d);
    }

    public bool Equals(TensorShape other)
    {
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != other._dims[i]) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Rank);
        for (int i = 0; i < Rank; i++) hash.Add(_dims[i]);
        return hash.ToHashCode();
    }

    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);

    public override string ToString() => Format(ToArray());

    private static string Format(ReadOnlySpan<int> d) => "[" + string.Join("×", d.ToArray()) + "]";

    [InlineArray(MaxRank)]
    private struct Dimensions
    {
        private int _element;
    }
}
