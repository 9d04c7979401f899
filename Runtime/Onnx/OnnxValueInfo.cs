namespace Simd.Runtime.Onnx;

/// <summary>
/// A graph input or output (ValueInfoProto) of tensor type: name, element type and shape. A dimension given by
/// name (dim_param) or left out is null; <see cref="Shape"/> is null when the type has no shape at all.
/// </summary>
public sealed class OnnxValueInfo
{
    public OnnxValueInfo(string name, OnnxDataType elementType, IReadOnlyList<long?>? shape)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
    }

    public string Name { get; }

    /// <summary>The tensor element type; <see cref="OnnxDataType.Undefined"/> for non-tensor types.</summary>
    public OnnxDataType ElementType { get; }

    public IReadOnlyList<long?>? Shape { get; }

    internal static OnnxValueInfo Read(ProtoReader reader)
    {
        string name = "";
        OnnxDataType elementType = OnnxDataType.Undefined;
        long?[]? shape = null;
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            if (field == 1) name = reader.ReadString("name", wire);
            else if (field == 2) ReadType(reader.ReadMessage("type", wire), name, ref elementType, ref shape);
            else reader.Skip(field, wire);
        }
        return new OnnxValueInfo(name, elementType, shape);
    }

    private static void ReadType(ProtoReader type, string name, ref OnnxDataType elementType, ref long?[]? shape)
    {
        while (type.NextField(out int field, out ProtoWireType wire))
        {
            if (field != 1) { type.Skip(field, wire); continue; }
            ProtoReader tensor = type.ReadMessage("tensor_type", wire);
            while (tensor.NextField(out int tf, out ProtoWireType tw))
            {
                if (tf == 1) elementType = (OnnxDataType)tensor.ReadInt32("elem_type", tw);
                else if (tf == 2) shape = ReadShape(tensor.ReadMessage("shape", tw), name);
                else tensor.Skip(tf, tw);
            }
        }
    }

    private static long?[] ReadShape(ProtoReader shape, string name)
    {
        // Counted first, so that a shape of many tiny dims costs one array of their size, not a list's growth.
        int count = 0;
        for (ProtoReader counter = shape; counter.NextField(out int field, out ProtoWireType wire);)
        {
            if (field == 1) count++;
            counter.Skip(field, wire);
        }
        var dims = new long?[count];
        for (int index = 0; shape.NextField(out int field, out ProtoWireType wire);)
        {
            if (field != 1) { shape.Skip(field, wire); continue; }
            ProtoReader dim = shape.ReadMessage("dim", wire);
            long? value = null;
            while (dim.NextField(out int df, out ProtoWireType dw))
            {
                if (df != 1) { dim.Skip(df, dw); continue; }
                long start = dim.Offset;
                value = dim.ReadInt64("dim_value", dw);
                // No tensor of this runtime has a dimension past int: refusing one here keeps every product of
                // dimensions the importer forms from overflowing.
                if (value is < 0 or > int.MaxValue)
                    throw dim.Error("dim_value", start, $"dimension {index} of '{name}' is {value}; expected 0 to {int.MaxValue}");
            }
            dims[index++] = value;
        }
        return dims;
    }
}
