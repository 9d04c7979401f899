namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// An int64 tensor computed from shapes (Shape, Gather, Unsqueeze, Concat over them, as PyTorch's exporter writes
/// to size an initial state by the batch): its entries, with null for the batch size, which is known only when the
/// model runs. Scalar for a Gather of one entry.
/// </summary>
internal sealed record ShapeTensor(long?[] Entries, bool Scalar)
{
    public string Text => Scalar ? Format(Entries[0]) : $"[{string.Join(", ", Entries.Select(Format))}]";

    private static string Format(long? entry) => entry?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N";
}

/// <summary>ConstantOfShape over a <see cref="ShapeTensor"/>: every entry <paramref name="Value"/>.</summary>
internal sealed record FilledTensor(float Value, long?[] Shape)
{
    public string ShapeText => new ShapeTensor(Shape, Scalar: false).Text;
}
