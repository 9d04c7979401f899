namespace Simd.Runtime.Intrinsics;

/// <summary>
/// z = f(a, b) elementwise and its gradient, where a and b each hold z's length of values or one value broadcast
/// over all of them: the contiguous runs a broadcasting op splits its shapes into (the same shape, a row against a
/// matrix, a column against a matrix). Outputs may be the same span as an input of their length, or disjoint.
/// Vectorised at every width, but for <see cref="BinaryFunction.Power"/>, a scalar loop.
/// </summary>
public static class BinaryMath
{
    public static void Forward(BinaryFunction function, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z) =>
        Forward(function, a, b, z, Isa.Width);

    /// <summary>
    /// da = dy·∂f/∂a and db = dy·∂f/∂b at each of dy's elements (before any sum over broadcast axes, which the caller
    /// makes); an empty da or db is not computed. z is the forward's output. Where a = b, max and min split dy evenly between a and b (PyTorch's rule for
    /// torch.maximum and torch.minimum); the comparisons and logical functions give zeros.
    /// </summary>
    public static void Backward(BinaryFunction function, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> z,
        ReadOnlySpan<float> dy, Span<float> da, Span<float> db) => Backward(function, a, b, z, dy, da, db, Isa.Width);

    internal static void Forward(BinaryFunction function, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, SimdWidth width)
    {
        int n = z.Length;
        Operand(a, n, nameof(a), nameof(z));
        Operand(b, n, nameof(b), nameof(z));
        if (a.Length == n) SpanChecks.SameOrDisjoint(a, z, nameof(a), nameof(z));
        if (b.Length == n) SpanChecks.SameOrDisjoint(b, z, nameof(b), nameof(z));
        switch (function)
        {
            case BinaryFunction.Add: Run(new AddOperator(), a, b, z, width); break;
            case BinaryFunction.Subtract: Run(new SubtractOperator(), a, b, z, width); break;
            case BinaryFunction.Multiply: Run(new MultiplyOperator(), a, b, z, width); break;
            case BinaryFunction.Divide: Run(new DivideOperator(), a, b, z, width); break;
            case BinaryFunction.Maximum: Run(new MaximumOperator(), a, b, z, width); break;
            case BinaryFunction.Minimum: Run(new MinimumOperator(), a, b, z, width); break;
            case BinaryFunction.Equal: Run(new EqualOperator(), a, b, z, width); break;
            case BinaryFunction.Less: Run(new LessOperator(), a, b, z, width); break;
            case BinaryFunction.LessOrEqual: Run(new LessOrEqualOperator(), a, b, z, width); break;
            case BinaryFunction.Greater: Run(new GreaterOperator(), a, b, z, width); break;
            case BinaryFunction.GreaterOrEqual: Run(new GreaterOrEqualOperator(), a, b, z, width); break;
            case BinaryFunction.And: Run(new AndOperator(), a, b, z, width); break;
            case BinaryFunction.Or: Run(new OrOperator(), a, b, z, width); break;
            case BinaryFunction.Xor: Run(new XorOperator(), a, b, z, width); break;
            case BinaryFunction.Power:
                bool sa = a.Length == 1, sb = b.Length == 1;
                for (int i = 0; i < n; i++) z[i] = MathF.Pow(a[sa ? 0 : i], b[sb ? 0 : i]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a binary function.");
        }
    }

    internal static void Backward(BinaryFunction function, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> z,
        ReadOnlySpan<float> dy, Span<float> da, Span<float> db, SimdWidth width)
    {
        int n = dy.Length;
        Operand(a, n, nameof(a), nameof(dy));
        Operand(b, n, nameof(b), nameof(dy));
        if (z.Length != n) throw new ArgumentException($"z has {z.Length} elements, expected dy's {n}.", nameof(z));
        Gradient(da, n, nameof(da));
        Gradient(db, n, nameof(db));
        SpanChecks.SameOrDisjoint(dy, da, nameof(dy), nameof(da));
        SpanChecks.SameOrDisjoint(dy, db, nameof(dy), nameof(db));
        if (!da.IsEmpty && !db.IsEmpty && da.Overlaps(db))
            throw new ArgumentException("db overlaps da; expected disjoint spans.", nameof(db));
        switch (function)
        {
            case BinaryFunction.Add: BinaryGradientDriver.Run(new AddGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Subtract: BinaryGradientDriver.Run(new SubtractGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Multiply: BinaryGradientDriver.Run(new MultiplyGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Divide: BinaryGradientDriver.Run(new DivideGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Maximum: BinaryGradientDriver.Run(new MaximumGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Minimum: BinaryGradientDriver.Run(new MinimumGradient(), a, b, z, dy, da, db, width); break;
            case BinaryFunction.Power: PowerBackward(a, b, z, dy, da, db); break;
            case >= BinaryFunction.Equal and <= BinaryFunction.Xor:
                // A step function: its derivative is 0 wherever it has one.
                da.Clear();
                db.Clear();
                break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a binary function.");
        }
    }

    /// <summary>d(aᵇ) = dy·b·aᵇ⁻¹ and dy·aᵇ·ln a (NaN for a &lt; 0, where the power of a real exponent is not real).</summary>
    private static void PowerBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> z, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        bool sa = a.Length == 1, sb = b.Length == 1;
        for (int i = 0; i < dy.Length; i++)
        {
            float x = a[sa ? 0 : i], e = b[sb ? 0 : i], g = dy[i], y = z[i];
            if (!da.IsEmpty) da[i] = e == 0 ? 0 : g * e * MathF.Pow(x, e - 1);
            if (!db.IsEmpty) db[i] = x == 0 && e > 0 ? 0 : g * y * MathF.Log(x);
        }
    }

    private static void Run<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, SimdWidth width) where TOp : struct, IBinaryOperator
    {
        int n = z.Length;
        if (a.Length == n && b.Length == n) BinaryDriver.Run(op, a, b, z, width);
        else if (a.Length == n) UnaryDriver.Run(new RightScalarOperator<TOp>(op, b[0]), a, z, width);
        else if (b.Length == n) UnaryDriver.Run(new LeftScalarOperator<TOp>(op, a[0]), b, z, width);
        else z.Fill(op.Invoke(a[0], b[0]));
    }

    private static void Operand(ReadOnlySpan<float> x, int n, string name, string against)
    {
        if (x.Length != n && x.Length != 1)
            throw new ArgumentException($"{name} has {x.Length} elements, expected {against}'s {n} or one to broadcast.", name);
    }

    private static void Gradient(Span<float> g, int n, string name)
    {
        if (!g.IsEmpty && g.Length != n)
            throw new ArgumentException($"{name} has {g.Length} elements, expected dy's {n} (or none to skip it).", name);
    }
}
