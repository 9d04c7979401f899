using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Simd.Runtime.Serialization;

/// <summary>
/// Reads the layout of <see cref="ModelFileFormat"/> defensively. The header is checked against the bytes
/// actually present, then the whole model's checksum, then every entry field against the limits and the bytes
/// left, all before the allocation the field sizes. Reads are bounded chunks of a pooled buffer.
/// </summary>
internal sealed class ModelFileReader : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly long _origin;
    private readonly ModelFileLimits _limits;
    private readonly byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private long _position;

    private ModelFileReader(Stream stream, ModelFileLimits limits)
    {
        _stream = stream;
        _limits = limits;
        _origin = stream.Position;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_chunk);

    /// <summary>
    /// Reads one model from the stream's position. The model may be followed by other data, except where
    /// <paramref name="requireExactLength"/> (a file that must hold the model and nothing else).
    /// </summary>
    public static ModelContainer Read(Stream s, ModelFileLimits limits, bool requireExactLength = false)
    {
        if (!s.CanRead) throw new ArgumentException("The stream cannot be read.", nameof(s));
        Stream seekable = s.CanSeek ? s : CopyDeclared(s, limits.MaxFileBytes);
        try
        {
            using var reader = new ModelFileReader(seekable, limits);
            return reader.ReadModel(requireExactLength);
        }
        catch (EndOfStreamException e)
        {
            // The stream shrank under us (another process truncating the file): still a bad model, not a crash.
            throw new ModelFormatException("file length", seekable.Position, $"the stream ended early ({e.Message})");
        }
        finally
        {
            if (!ReferenceEquals(seekable, s)) seekable.Dispose();
        }
    }

    /// <summary>
    /// Non-seekable streams are buffered: the header, then as many bytes as it declares (when that is within the
    /// limit), growing with the bytes that actually arrive. The copy is then validated like any seekable stream.
    /// </summary>
    private static MemoryStream CopyDeclared(Stream s, long maxBytes)
    {
        var copy = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long wanted = ModelFileFormat.HeaderBytes;
            bool headerRead = false;
            while (copy.Length < wanted)
            {
                int n = s.Read(buffer, 0, (int)Math.Min(ChunkBytes, wanted - copy.Length));
                if (n <= 0) break;
                copy.Write(buffer, 0, n);
                if (!headerRead && copy.Length == ModelFileFormat.HeaderBytes)
                {
                    headerRead = true;
                    ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(copy.GetBuffer().AsSpan(16));
                    if (declared <= (ulong)maxBytes && declared > ModelFileFormat.HeaderBytes) wanted = (long)declared;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        copy.Position = 0;
        return copy;
    }

    private ModelContainer ReadModel(bool requireExactLength)
    {
        long available = _stream.Length - _origin;
        if (available < ModelFileFormat.HeaderBytes)
            throw Bad("header", 0, $"expected {ModelFileFormat.HeaderBytes} bytes, found {Math.Max(available, 0)}");

        Span<byte> header = stackalloc byte[ModelFileFormat.HeaderBytes];
        ReadExactly(header);
        if (!header[..8].SequenceEqual(ModelFileFormat.Magic))
            throw Bad("magic", 0, $"expected {Convert.ToHexString(ModelFileFormat.Magic)}, found {Convert.ToHexString(header[..8])}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != ModelFileFormat.Version)
            throw Bad("format version", 8, $"expected {ModelFileFormat.Version}, found {version}");
        uint entryCount = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (entryCount > (uint)_limits.MaxEntries)
            throw Bad("entry count", 12, $"expected at most {_limits.MaxEntries}, found {entryCount}");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        if (declared > (ulong)_limits.MaxFileBytes)
            throw Bad("file length", 16, $"expected at most the limit of {_limits.MaxFileBytes} bytes, found {declared}");
        if (declared < (ulong)ModelFileFormat.MinFileBytes)
            throw Bad("file length", 16, $"expected at least {ModelFileFormat.MinFileBytes} bytes, found {declared}");
        if (declared > (ulong)available)
            throw Bad("file length", 16, $"declares {declared} bytes, but only {available} are present (truncated)");
        if (requireExactLength && declared != (ulong)available)
            throw Bad("file length", 16, $"declares {declared} bytes, but the file holds {available}");
        long length = (long)declared;
        ulong reserved = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        if (reserved != 0)
            throw Bad("reserved", 24, $"expected 0, found 0x{reserved:X16}");

        long end = length - ModelFileFormat.TrailerBytes;
        VerifyChecksum(header, end);

        var container = new ModelContainer { Limits = _limits };
        Seek(ModelFileFormat.HeaderBytes);
        for (int i = 0; i < (int)entryCount; i++) ReadEntry(container, i, end);
        if (_position != end)
            throw Bad("end of entries", _position, $"expected the checksum after entry {entryCount - 1}, found {end - _position} more bytes");
        Seek(length);
        return container;
    }

    private void VerifyChecksum(ReadOnlySpan<byte> header, long end)
    {
        uint crc = Crc32C.Compute(header);
        while (_position < end)
        {
            int n = (int)Math.Min(ChunkBytes, end - _position);
            ReadExactly(_chunk.AsSpan(0, n));
            crc = Crc32C.Append(crc, _chunk.AsSpan(0, n));
        }
        Span<byte> trailer = stackalloc byte[ModelFileFormat.TrailerBytes];
        ReadExactly(trailer);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (stored != crc)
            throw Bad("checksum", end, $"expected CRC-32C 0x{crc:X8} of the preceding bytes, found 0x{stored:X8}");
    }

    private void ReadEntry(ModelContainer container, int index, long end)
    {
        string field = $"entry {index}";
        long start = _position;
        if (end - _position < ModelFileFormat.EntryFixedBytes)
            throw Bad(field, _position, $"expected a {ModelFileFormat.EntryFixedBytes}-byte entry header, found {end - _position} bytes left");
        Span<byte> fixedPart = stackalloc byte[ModelFileFormat.EntryFixedBytes];
        ReadExactly(fixedPart);
        int nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart);
        var type = (ModelEntryType)fixedPart[2];
        int rank = fixedPart[3];

        if (nameBytes == 0 || nameBytes > _limits.MaxNameBytes)
            throw Bad($"{field} name length", start, $"expected 1..{_limits.MaxNameBytes}, found {nameBytes}");
        if (type is < ModelEntryType.Int64 or > ModelEntryType.Float32Tensor)
            throw Bad($"{field} type", start + 2, $"expected 1..5, found {(int)type}");
        if (type == ModelEntryType.Float32Tensor ? rank > _limits.MaxRank : rank != 0)
            throw Bad($"{field} rank", start + 3,
                type == ModelEntryType.Float32Tensor ? $"expected at most {_limits.MaxRank}, found {rank}" : $"expected 0 for a {ModelFileFormat.TypeName(type)}, found {rank}");

        Require(nameBytes, end, $"{field} name");
        long nameAt = _position;
        var nameSpan = _chunk.AsSpan(0, nameBytes);
        ReadExactly(nameSpan);
        string name;
        try
        {
            name = ModelContainer.StrictUtf8.GetString(nameSpan);
        }
        catch (DecoderFallbackException)
        {
            throw Bad($"{field} name", nameAt, "expected UTF-8, found invalid bytes");
        }
        if (container.Contains(name))
            throw Bad($"{field} name", nameAt, $"expected a unique name, found '{name}' again");
        field = $"entry {index} ('{name}')";

        int[]? shape = null;
        long elements = 1;
        if (type == ModelEntryType.Float32Tensor)
        {
            Require(4L * rank, end, $"{field} shape");
            shape = new int[rank];
            Span<byte> dim = stackalloc byte[4];
            for (int d = 0; d < rank; d++)
            {
                long dimAt = _position;
                ReadExactly(dim);
                int v = BinaryPrimitives.ReadInt32LittleEndian(dim);
                if (v < 0)
                    throw Bad($"{field} dimension {d}", dimAt, $"expected ≥ 0, found {v}");
                // Compare before multiplying: the product can never overflow.
                if (v != 0 && elements > _limits.MaxTensorElements / v)
                    throw Bad($"{field} dimension {d}", dimAt, $"expected at most {_limits.MaxTensorElements} elements in all, found a dimension of {v} after {elements}");
                elements *= v;
                shape[d] = v;
            }
        }

        Require(ModelFileFormat.PayloadSizeBytes, end, $"{field} payload size");
        long sizeAt = _position;
        Span<byte> sizeBytes = stackalloc byte[8];
        ReadExactly(sizeBytes);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sizeBytes);
        ulong expected = type switch
        {
            ModelEntryType.Int64 or ModelEntryType.Double => 8,
            ModelEntryType.Float32Tensor => 4UL * (ulong)elements,
            _ => Math.Min(size, (ulong)_limits.MaxBlobBytes),
        };
        if (size != expected)
            throw Bad($"{field} payload size", sizeAt,
                type is ModelEntryType.String or ModelEntryType.Bytes
                    ? $"expected at most the limit of {_limits.MaxBlobBytes} bytes, found {size}"
                    : $"expected {expected} bytes for a {ModelFileFormat.TypeName(type)}, found {size}");

        int padding = ModelFileFormat.Padding(type, _position);
        Require(padding, end, $"{field} padding");
        long padAt = _position;
        var pad = _chunk.AsSpan(0, padding);
        ReadExactly(pad);
        if (pad.ContainsAnyExcept((byte)0))
            throw Bad($"{field} padding", padAt + pad.IndexOfAnyExcept((byte)0), "expected zero bytes, found others");

        Require((long)size, end, $"{field} payload");
        container.AddRead(name, type switch
        {
            ModelEntryType.Int64 => ModelEntry.Int64(ReadInt64()),
            ModelEntryType.Double => ModelEntry.Double(BitConverter.Int64BitsToDouble(ReadInt64())),
            ModelEntryType.String => ModelEntry.Utf8(ReadUtf8((int)size, field)),
            ModelEntryType.Bytes => ModelEntry.Blob(ReadBytes((int)size)),
            _ => ModelEntry.Float32(shape!, ReadFloats((int)elements)),
        });
    }

    private long ReadInt64()
    {
        Span<byte> b = stackalloc byte[8];
        ReadExactly(b);
        return BinaryPrimitives.ReadInt64LittleEndian(b);
    }

    private byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        ReadExactly(bytes);
        return bytes;
    }

    private byte[] ReadUtf8(int count, string field)
    {
        long at = _position;
        var bytes = ReadBytes(count);
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return bytes;
        throw Bad($"{field} string", at, "expected UTF-8, found invalid bytes");
    }

    private float[] ReadFloats(int count)
    {
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            var ints = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }
        return values;
    }

    /// <summary>A field of <paramref name="bytes"/> must fit in what is left before the checksum.</summary>
    private void Require(long bytes, long end, string field)
    {
        if (bytes > end - _position)
            throw Bad(field, _position, $"expected {bytes} bytes, found only {end - _position} left before the checksum");
    }

    private void ReadExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int n = _stream.Read(destination[..Math.Min(destination.Length, ChunkBytes)]);
            if (n <= 0) throw new EndOfStreamException($"{destination.Length} bytes missing at offset {_position}");
            destination = destination[n..];
            _position += n;
        }
    }

    private void Seek(long offset)
    {
        _stream.Position = _origin + offset;
        _position = offset;
    }

    private static ModelFormatException Bad(string field, long offset, string detail) => new(field, offset, detail);
}
