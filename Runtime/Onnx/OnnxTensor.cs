using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Onnx;

/// <summary>
/// A TensorProto: name, shape and elements. Float tensors are decoded from float_data or little-endian raw_data;
/// int64 and int32 tensors from int64_data / int32_data or raw_data, both read as <see cref="Int64s"/>; double
/// tensors from double_data or raw_data, as <see cref="Doubles"/>. Other element types keep only their shape.
/// The element count always equals the product of the dimensions. A float tensor read from a model loaded whole
/// (<see cref="OnnxModel.Load"/>, <see cref="OnnxModel.Read(byte[])"/>) is a view of the file's raw_data bytes on a
/// little-endian machine, not a copy.
/// </summary>
public sealed class OnnxTensor
{
    private readonly float[]? _floats;
    private readonly ReadOnlyMemory<byte> _rawFloats;
    private readonly long[]? _int64s;
    private readonly double[]? _doubles;

    private OnnxTensor(string name, long[] dims, int count, OnnxDataType dataType, float[]? floats, long[]? int64s, double[]? doubles,
                       ReadOnlyMemory<byte> rawFloats = default)
    {
        Name = name;
        ElementCount = count;
        Dims = dims;
        DataType = dataType;
        _floats = floats;
        _rawFloats = rawFloats;
        _int64s = int64s;
        _doubles = doubles;
    }

    /// <summary>A view of the file's raw_data (never empty: a tensor of no elements holds an empty array).</summary>
    private bool HoldsRawFloats => !_rawFloats.IsEmpty;

    public string Name { get; }

    /// <summary>A float tensor the importer computed (a folded constant).</summary>
    internal static OnnxTensor FromFloats(string name, long[] dims, float[] values) => new(name, dims, values.Length, OnnxDataType.Float, values, null, null);

    /// <summary>An integer tensor the importer computed: Int64, Int32 or Bool (0 or 1) elements, held as <see cref="Int64s"/>.</summary>
    internal static OnnxTensor FromInt64s(string name, long[] dims, OnnxDataType type, long[] values) => new(name, dims, values.Length, type, null, values, null);

    /// <summary>A double tensor the importer computed.</summary>
    internal static OnnxTensor FromDoubles(string name, long[] dims, double[] values) => new(name, dims, values.Length, OnnxDataType.Double, null, null, values);

    /// <summary>The same tensor under another name (a Constant node's value, named by the node's output).</summary>
    internal OnnxTensor Named(string name) => new(name, [.. Dims], ElementCount, DataType, _floats, _int64s, _doubles, _rawFloats);

    /// <summary>False for an element type this reader keeps only the shape of.</summary>
    internal bool HoldsElements => _floats is not null || HoldsRawFloats || _int64s is not null || _doubles is not null;

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    public OnnxDataType DataType { get; }

    /// <summary>Product of <see cref="Dims"/> (1 for a scalar).</summary>
    public int ElementCount { get; }

    /// <summary>The elements of a float tensor.</summary>
    public ReadOnlySpan<float> Floats =>
        _floats ?? (HoldsRawFloats ? MemoryMarshal.Cast<byte, float>(_rawFloats.Span)
                                   : throw new InvalidOperationException($"Tensor '{Name}' holds {DataType} elements; expected Float."));

    /// <summary>The elements of an int64, int32 or bool tensor (bool as 0 and 1).</summary>
    public ReadOnlySpan<long> Int64s =>
        _int64s ?? throw new InvalidOperationException($"Tensor '{Name}' holds {DataType} elements; expected Int64, Int32 or Bool.");

    /// <summary>The elements of a double tensor.</summary>
    public ReadOnlySpan<double> Doubles =>
        _doubles ?? throw new InvalidOperationException($"Tensor '{Name}' holds {DataType} elements; expected Double.");

    /// <summary>Reads a serialized TensorProto (the format of ONNX's test_data_set *.pb files).</summary>
    public static OnnxTensor Read(ReadOnlySpan<byte> bytes) => Read(new ProtoReader(bytes, 0, "TensorProto"));

    /// <summary>Reads a serialized TensorProto from a file.</summary>
    public static OnnxTensor Load(string path) => Read(File.ReadAllBytes(path));

    internal static OnnxTensor Read(ProtoReader reader)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var int64s = new List<long>();
        var doubles = new List<double>();
        ReadOnlySpan<byte> raw = default;
        ReadOnlyMemory<byte> rawMemory = default;
        long rawOffset = -1;
        bool external = false;
        int dataType = 0;
        string name = "";
        long start = reader.Offset;
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case 1: reader.ReadInt64s("dims", wire, dims); break;
                case 2: dataType = reader.ReadInt32("data_type", wire); break;
                case 3: throw reader.Error("segment", reader.Offset, "segmented tensors are not supported");
                case 4: reader.ReadFloats("float_data", wire, floats); break;
                case 5: reader.ReadInt64s("int32_data", wire, int64s); break;
                case 7: reader.ReadInt64s("int64_data", wire, int64s); break;
                case 8: name = reader.ReadString("name", wire); break;
                case 9:
                    if (reader.HasMemory) rawMemory = reader.ReadBytesMemory("raw_data", wire, out rawOffset);
                    else raw = reader.ReadBytes("raw_data", wire, out rawOffset);
                    break;
                case 10: reader.ReadDoubles("double_data", wire, doubles); break;
                case 14: external = reader.ReadInt32("data_location", wire) == 1; break;
                default: reader.Skip(field, wire); break;
            }
        }

        foreach (long d in dims)
            if (d < 0) throw reader.Error("dims", start, $"tensor '{name}' has negative dimension {d}");
        if (TryCount(dims) is not { } count)
            throw reader.Error("dims", start, $"tensor '{name}' has more than {int.MaxValue} elements");
        if (external)
            throw new OnnxImportException($"tensor '{name}' keeps its data in an external file (data_location EXTERNAL), which this reader does not load; save the model with its weights inside.");

        var type = (OnnxDataType)dataType;
        if (!rawMemory.IsEmpty) raw = rawMemory.Span;
        if (type == OnnxDataType.Float && rawOffset >= 0 && !rawMemory.IsEmpty && BitConverter.IsLittleEndian)
        {
            // The elements are the file's bytes: a view, checked like a copy.
            CheckRawLength(reader, raw, rawOffset, count, sizeof(float), name);
            return new OnnxTensor(name, dims.ToArray(), count, type, null, null, null, rawMemory);
        }
        float[]? f = null;
        long[]? l = null;
        double[]? d64 = null;
        bool hasRaw = rawOffset >= 0;
        switch (type)
        {
            case OnnxDataType.Float:
                f = hasRaw ? RawElements<float>(reader, raw, rawOffset, count, name) : Check(reader, floats, count, "float_data", start, name);
                break;
            case OnnxDataType.Int64:
                l = hasRaw ? RawElements<long>(reader, raw, rawOffset, count, name) : Check(reader, int64s, count, "int64_data", start, name);
                break;
            case OnnxDataType.Int32:
                l = hasRaw ? RawInt32s(reader, raw, rawOffset, count, name) : Check(reader, int64s, count, "int32_data", start, name);
                break;
            case OnnxDataType.Bool:
                // One byte an element raw, else int32_data; held as 0/1 integers (a mask's values).
                l = hasRaw ? RawBools(reader, raw, rawOffset, count, name) : Check(reader, int64s, count, "int32_data", start, name);
                break;
            case OnnxDataType.Double:
                d64 = hasRaw ? RawElements<double>(reader, raw, rawOffset, count, name) : Check(reader, doubles, count, "double_data", start, name);
                break;
            case OnnxDataType.Undefined:
                throw reader.Error("data_type", start, $"tensor '{name}' has no data_type");
        }
        return new OnnxTensor(name, dims.ToArray(), count, type, f, l, d64);
    }

    private static int? TryCount(IReadOnlyList<long> dims)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) return null;
            count *= d;
            if (count > int.MaxValue) return null;
        }
        return (int)count;
    }

    private static T[] Check<T>(ProtoReader reader, List<T> values, int count, string field, long offset, string name)
    {
        if (values.Count != count)
            throw reader.Error(field, offset, $"tensor '{name}' has {values.Count} elements; its dims say {count}");
        return values.ToArray();
    }

    /// <summary>
    /// Elements of 4 or 8 bytes from raw_data, which is little-endian: on a little-endian machine they are the bytes
    /// themselves, copied whole (a weight tensor is most of a model file, so this copy is most of the reader's time).
    /// </summary>
    private static T[] RawElements<T>(ProtoReader reader, ReadOnlySpan<byte> raw, long offset, int count, string name) where T : unmanaged
    {
        CheckRawLength(reader, raw, offset, count, Unsafe.SizeOf<T>(), name);
        var values = GC.AllocateUninitializedArray<T>(count);
        raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            Span<T> elements = values;
            if (Unsafe.SizeOf<T>() == sizeof(long)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, long>(elements), MemoryMarshal.Cast<T, long>(elements));
            else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, int>(elements), MemoryMarshal.Cast<T, int>(elements));
        }
        return values;
    }

    private static long[] RawInt32s(ProtoReader reader, ReadOnlySpan<byte> raw, long offset, int count, string name)
    {
        CheckRawLength(reader, raw, offset, count, sizeof(int), name);
        var values = new long[count];
        for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * sizeof(int)));
        return values;
    }

    private static long[] RawBools(ProtoReader reader, ReadOnlySpan<byte> raw, long offset, int count, string name)
    {
        CheckRawLength(reader, raw, offset, count, 1, name);
        var values = new long[count];
        for (int i = 0; i < count; i++) values[i] = raw[i] != 0 ? 1L : 0L;
        return values;
    }

    private static void CheckRawLength(ProtoReader reader, ReadOnlySpan<byte> raw, long offset, int count, int size, string name)
    {
        if ((long)count * size != raw.Length)
            throw reader.Error("raw_data", offset, $"tensor '{name}' has {raw.Length} bytes; its dims say {count} elements of {size} bytes");
    }
}
