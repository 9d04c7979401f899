using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// The stable names <see cref="UnaryMathOp"/> and <see cref="BinaryOp"/> store for their function (ONNX's op
/// types in lower case), so that renaming an enumeration member breaks no model file.
/// </summary>
internal static class MathFunctionNames
{
    private static readonly (string Name, UnaryFunction Function)[] Unary =
    [
        ("abs", UnaryFunction.Abs), ("neg", UnaryFunction.Negate), ("exp", UnaryFunction.Exp), ("log", UnaryFunction.Log),
        ("sqrt", UnaryFunction.Sqrt), ("reciprocal", UnaryFunction.Reciprocal), ("erf", UnaryFunction.Erf), ("clip", UnaryFunction.Clip),
    ];

    private static readonly (string Name, BinaryFunction Function)[] Binary =
    [
        ("add", BinaryFunction.Add), ("sub", BinaryFunction.Subtract), ("mul", BinaryFunction.Multiply), ("div", BinaryFunction.Divide),
        ("pow", BinaryFunction.Power), ("max", BinaryFunction.Maximum), ("min", BinaryFunction.Minimum),
        ("equal", BinaryFunction.Equal), ("less", BinaryFunction.Less), ("less_or_equal", BinaryFunction.LessOrEqual),
        ("greater", BinaryFunction.Greater), ("greater_or_equal", BinaryFunction.GreaterOrEqual),
        ("and", BinaryFunction.And), ("or", BinaryFunction.Or), ("xor", BinaryFunction.Xor),
    ];

    public static string Name(UnaryFunction f) => Find(Unary, f);

    public static string Name(BinaryFunction f) => Find(Binary, f);

    public static UnaryFunction ParseUnary(OpAttributes a, string attribute) => Parse(Unary, a, attribute);

    public static BinaryFunction ParseBinary(OpAttributes a, string attribute) => Parse(Binary, a, attribute);

    private static string Find<T>((string Name, T Function)[] table, T f) where T : struct, Enum
    {
        foreach (var (name, g) in table)
            if (EqualityComparer<T>.Default.Equals(g, f)) return name;
        throw new ArgumentOutOfRangeException(nameof(f), f, "No stable name.");
    }

    private static T Parse<T>((string Name, T Function)[] table, OpAttributes a, string attribute) where T : struct, Enum
    {
        string value = a.GetString(attribute);
        foreach (var (name, f) in table)
            if (name == value) return f;
        throw a.Bad(attribute, $"is '{value}', expected one of {string.Join(", ", table.Select(t => t.Name))}");
    }
}
