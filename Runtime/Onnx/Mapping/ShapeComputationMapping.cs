using System.Globalization;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The shape arithmetic exporters write around a recurrent node (PyTorch sizes its zero initial state
/// [directions, batch, hidden] by Shape, Gather, Unsqueeze, Concat and ConstantOfShape): evaluated at import into
/// <see cref="ShapeTensor"/>s whose batch entry is symbolic, adding no node. A ConstantOfShape of such a shape is a
/// <see cref="FilledTensor"/>, which LSTM, GRU and RNN read as their initial state when it is zero. Constant nodes
/// become initializers. Where every entry is known, the folder (<see cref="Folding.ConstantFolding"/>) computes these instead.
/// </summary>
internal static class ShapeComputationMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Shape", OnnxOpTable.MinOpset, 1, Shape),
        new("Constant", OnnxOpTable.MinOpset, 0, Constant),
        new("ConstantOfShape", 9, 1, ConstantOfShape),
    ];

    private static void Shape(ImportContext context, OnnxNode node)
    {
        BoundTensor x = context.Tensor(node, 0);
        var entries = Enumerable.Range(0, x.Rank).Select(a => a == x.BatchAxis ? (long?)null : x.Size(a)).ToArray();
        // Opset 15 added start and end (negative from the end, clamped), a slice of the shape.
        long start = Clamp(node.Int("start", 0), x.Rank), end = Clamp(node.Int("end", x.Rank), x.Rank);
        context.BindShape(node, new ShapeTensor(entries[(int)start..(int)Math.Max(start, end)], Scalar: false));
    }

    private static long Clamp(long axis, int rank) => Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);

    /// <summary>
    /// Constant's one value attribute: a tensor, or (opset 12 on) a float, an int64, or a vector of either. A string
    /// or a sparse tensor has no element type the runtime computes with.
    /// </summary>
    private static void Constant(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Attributes.Count == 1,
            node.Attributes.Count == 0 ? "no value attribute; Constant takes exactly one." : $"attributes {string.Join(", ", node.Attributes.Select(a => $"'{a.Name}'"))}; Constant takes exactly one value.");
        OnnxAttribute a = node.Attributes[0];
        string name = node.Outputs.Count > 0 ? node.Outputs[0] : "";
        OnnxTensor value = (a.Name, a.Type) switch
        {
            ("value", OnnxAttributeType.Tensor) when a.T is not null => a.T.Named(name),
            ("value_float", OnnxAttributeType.Float) => OnnxTensor.FromFloats(name, [], [a.F]),
            ("value_floats", OnnxAttributeType.Floats) => OnnxTensor.FromFloats(name, [a.Floats.Count], [.. a.Floats]),
            ("value_int", OnnxAttributeType.Int) => OnnxTensor.FromInt64s(name, [], OnnxDataType.Int64, [a.I]),
            ("value_ints", OnnxAttributeType.Ints) => OnnxTensor.FromInt64s(name, [a.Ints.Count], OnnxDataType.Int64, [.. a.Ints]),
            ("value_string" or "value_strings", _) => throw context.Fail(node, $"attribute '{a.Name}' holds strings; the runtime computes with numbers only."),
            ("sparse_value", _) => throw context.Fail(node, "attribute 'sparse_value' holds a sparse tensor, which the importer does not read; store the value as a dense 'value' tensor."),
            ("value" or "value_float" or "value_floats" or "value_int" or "value_ints", _) => throw context.Fail(node, $"attribute '{a.Name}' is of type {a.Type}, which Constant does not define for it."),
            _ => throw context.Fail(node, $"attribute '{a.Name}' is not one of Constant's value attributes (value, value_float, value_floats, value_int, value_ints)."),
        };
        context.BindConstant(node, value);
    }

    private static void ConstantOfShape(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.HasInput(0), "input 0 (the shape) is missing.");
        ShapeTensor? shape = context.Shape(node, 0);
        context.Require(node, shape is { Scalar: false }, $"the shape '{node.Inputs[0]}' must be an int64 vector computed from shapes or constants.");
        OnnxTensor? value = node.Attribute("value")?.T;
        context.Require(node, value is null || (value.DataType == OnnxDataType.Float && value.ElementCount == 1),
            $"the value is {value?.DataType}; the importer maps a float fill only.");
        context.BindFill(node, new FilledTensor(value is null ? 0f : value.Floats[0], shape!.Entries));
    }

    public static void Gather(ImportContext context, OnnxNode node, ShapeTensor data)
    {
        context.Require(node, !data.Scalar && node.Int("axis", 0) is 0 or -1, $"Gather of the shape {data.Text} along axis {node.Int("axis", 0)}; a shape has one axis.");
        context.Require(node, node.HasInput(1), "input 1 (the indices) is missing.");
        ShapeTensor? indices = context.Shape(node, 1);
        context.Require(node, indices is not null && indices.Entries.All(e => e is not null),
            $"the indices '{node.Inputs[1]}' must be constant integers.");
        var picked = new long?[indices!.Entries.Length];
        for (int i = 0; i < picked.Length; i++)
        {
            long at = indices.Entries[i]!.Value;
            context.Require(node, at >= -data.Entries.Length && at < data.Entries.Length, $"index {at} is outside the shape {data.Text}.");
            picked[i] = data.Entries[at < 0 ? at + data.Entries.Length : at];
        }
        context.BindShape(node, new ShapeTensor(picked, indices.Scalar));
    }

    /// <summary>
    /// Slice of a shape computation along its one axis (LayerNormalization's function body takes the prefix of a
    /// shape so): the entries are picked whether known or the batch's, since only their count and places matter.
    /// </summary>
    public static void Slice(ImportContext context, OnnxNode node, ShapeTensor data)
    {
        context.Require(node, !data.Scalar, $"Slice of the scalar {data.Text}; Slice takes a tensor of rank 1 or more.");
        // A vector has one axis, which Read lets the node name at most once.
        SliceAxis[] axes = SliceBounds.Read(context, node, 1, i => context.KnownConstant(node, i));
        if (axes.Length == 0)
        {
            context.BindShape(node, data);
            return;
        }
        (long first, long count) = axes[0].Resolve(data.Entries.Length);
        var picked = new long?[count];
        for (long k = 0; k < count; k++) picked[k] = data.Entries[first + (k * axes[0].Step)];
        context.BindShape(node, new ShapeTensor(picked, Scalar: false));
    }

    public static void Unsqueeze(ImportContext context, OnnxNode node, ShapeTensor data, IReadOnlyList<long> axes)
    {
        context.Require(node, data.Scalar && axes.Count == 1 && axes[0] is 0 or -1,
            $"Unsqueeze of the shape {data.Text} along [{string.Join(", ", axes)}]; the importer maps a scalar made a vector of one entry.");
        context.BindShape(node, data with { Scalar = false });
    }

    /// <summary>Concat of shapes (and int64 constants) along their one axis; null when an input is no shape.</summary>
    public static bool TryConcat(ImportContext context, OnnxNode node)
    {
        var parts = Enumerable.Range(0, node.Inputs.Count).Select(i => context.Shape(node, i)).ToList();
        if (parts.Any(p => p is null)) return false;
        context.Require(node, parts.All(p => !p!.Scalar) && node.Int("axis", 0) is 0 or -1,
            string.Create(CultureInfo.InvariantCulture, $"Concat of shapes along axis {node.Int("axis", 0)}; shapes are vectors, joined along axis 0."));
        context.BindShape(node, new ShapeTensor([.. parts.SelectMany(p => p!.Entries)], Scalar: false));
        return true;
    }
}
