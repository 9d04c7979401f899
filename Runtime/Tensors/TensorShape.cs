namespace Simd.Runtime.Tensors;

/// <summary>A row-major shape of rank 1 to 4. The first dimension is the batch (rows) where there is one.</summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    public const int MaxRank = 4;

    private readonly int _d0, _d1, _d2, _d3;

    public TensorShape(int d0) : this(1, d0, 1, 1, 1) { }

    public TensorShape(int d0, int d1) : this(2, d0, d1, 1, 1) { }

    public TensorShape(int d0, int d1, int d2) : this(3, d0, d1, d2, 1) { }

    public TensorShape(int d0, int d1, int d2, int d3) : this(4, d0, d1, d2, d3) { }

    private TensorShape(int rank, int d0, int d1, int d2, int d3)
    {
        if (d0 < 0 || d1 < 0 || d2 < 0 || d3 < 0)
            throw new ArgumentOutOfRangeException(nameof(d0), $"Dimensions must not be negative, got [{d0}, {d1}, {d2}, {d3}] (rank {rank}).");
        Rank = rank;
        (_d0, _d1, _d2, _d3) = (d0, d1, d2, d3);
        Length = checked(d0 * d1 * d2 * d3);
    }

    public int Rank { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Elements per index of the first dimension.</summary>
    public int RowLength => _d1 * _d2 * _d3;

    public int this[int dimension] => dimension switch
    {
        0 when Rank > 0 => _d0,
        1 when Rank > 1 => _d1,
        2 when Rank > 2 => _d2,
        3 when Rank > 3 => _d3,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Shape {this} has rank {Rank}."),
    };

    /// <summary>The same shape with the first dimension replaced (a smaller batch in a buffer planned for a larger one).</summary>
    public TensorShape WithRows(int rows) => new(Rank, rows, _d1, _d2, _d3);

    public bool Equals(TensorShape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3;

    public override bool Equals(object? obj) => obj is TensorShape other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3);

    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);

    public override string ToString() => Rank switch
    {
        1 => $"[{_d0}]",
        2 => $"[{_d0}×{_d1}]",
        3 => $"[{_d0}×{_d1}×{_d2}]",
        _ => $"[{_d0}×{_d1}×{_d2}×{_d3}]",
    };
}
