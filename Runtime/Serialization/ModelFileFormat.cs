namespace Simd.Runtime.Serialization;

/// <summary>
/// Layout of a model file, format version 1. All integers little-endian. See README.md beside this file.
/// <code>
/// header (32 bytes)
///   0  magic        8 bytes  89 53 49 4D 44 4E 4E 0A  ("\x89SIMDNN\n": a text-mode transfer breaks it visibly)
///   8  version      uint32   1
///  12  entry count  uint32
///  16  file length  uint64   every byte of the model, header and checksum included
///  24  reserved     8 bytes  zero
/// entry (repeated entry-count times)
///   +0 name length  uint16   1..65535 UTF-8 bytes
///   +2 type         uint8    1 int64, 2 float64, 3 UTF-8 string, 4 bytes, 5 float32 tensor
///   +3 rank         uint8    tensors: number of dimensions (0 = scalar); other types: 0
///   +4 name         UTF-8
///      dims         rank × int32, each ≥ 0 (tensors only)
///      payload size uint64   bytes; 8 for int64/float64, 4·∏dims for tensors
///      padding      zero bytes up to the next multiple of 64 of the file offset (tensors only)
///      payload
/// trailer
///      checksum     uint32   CRC-32C of every byte before it
/// </code>
/// </summary>
internal static class ModelFileFormat
{
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'S', (byte)'I', (byte)'M', (byte)'D', (byte)'N', (byte)'N', 0x0A];

    public const uint Version = 1;
    public const int HeaderBytes = 32;
    public const int EntryFixedBytes = 4;
    public const int PayloadSizeBytes = 8;
    public const int TrailerBytes = 4;
    public const int TensorAlignment = 64;

    public const int MaxNameBytes = ushort.MaxValue;
    public const int MaxRank = byte.MaxValue;
    public const int MaxEntryCount = int.MaxValue;

    public static readonly long MinFileBytes = HeaderBytes + TrailerBytes;

    /// <summary>Zero bytes between an entry's payload size field (ending at <paramref name="offset"/>) and its payload.</summary>
    public static int Padding(ModelEntryType type, long offset) =>
        type == ModelEntryType.Float32Tensor ? (int)((TensorAlignment - offset % TensorAlignment) % TensorAlignment) : 0;

    public static string TypeName(ModelEntryType type) => type switch
    {
        ModelEntryType.Int64 => "int64",
        ModelEntryType.Double => "float64",
        ModelEntryType.String => "string",
        ModelEntryType.Bytes => "bytes",
        ModelEntryType.Float32Tensor => "float32 tensor",
        _ => $"type {(int)type}",
    };
}

/// <summary>The type byte of an entry.</summary>
internal enum ModelEntryType : byte
{
    Int64 = 1,
    Double = 2,
    String = 3,
    Bytes = 4,
    Float32Tensor = 5,
}
