namespace Simd.Runtime.Serialization;

/// <summary>One named value of a <see cref="ModelContainer"/>, held as it will be written.</summary>
internal sealed class ModelEntry
{
    private ModelEntry(ModelEntryType type, long bits, byte[]? bytes, int[]? shape, float[]? tensor)
    {
        Type = type;
        Bits = bits;
        Bytes = bytes;
        Shape = shape;
        Tensor = tensor;
    }

    public ModelEntryType Type { get; }

    /// <summary>An int64, or a float64's bits.</summary>
    public long Bits { get; }

    /// <summary>A string's UTF-8 bytes, or a byte entry.</summary>
    public byte[]? Bytes { get; }

    public int[]? Shape { get; }

    public float[]? Tensor { get; }

    public long PayloadBytes => Type switch
    {
        ModelEntryType.Int64 or ModelEntryType.Double => 8,
        ModelEntryType.String or ModelEntryType.Bytes => Bytes!.Length,
        _ => 4L * Tensor!.Length,
    };

    public static ModelEntry Int64(long v) => new(ModelEntryType.Int64, v, null, null, null);

    public static ModelEntry Double(double v) => new(ModelEntryType.Double, BitConverter.DoubleToInt64Bits(v), null, null, null);

    public static ModelEntry Utf8(byte[] utf8) => new(ModelEntryType.String, 0, utf8, null, null);

    public static ModelEntry Blob(byte[] bytes) => new(ModelEntryType.Bytes, 0, bytes, null, null);

    public static ModelEntry Float32(int[] shape, float[] data) => new(ModelEntryType.Float32Tensor, 0, null, shape, data);
}
