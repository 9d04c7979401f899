using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Serialization;

/// <summary>Writes a <see cref="ModelContainer"/> in the layout of <see cref="ModelFileFormat"/>.</summary>
internal sealed class ModelFileWriter : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _used;
    private uint _crc;

    private ModelFileWriter(Stream stream) => _stream = stream;

    /// <summary>Bytes written so far, counted from the start of the model.</summary>
    private long Position { get; set; }

    public static void Write(ModelContainer container, Stream stream)
    {
        long length = Layout(container);
        using var w = new ModelFileWriter(stream);

        w.Put(ModelFileFormat.Magic);
        w.PutUInt32(ModelFileFormat.Version);
        w.PutUInt32((uint)container.Count);
        w.PutUInt64((ulong)length);
        w.PutUInt64(0);

        foreach (var (entryName, e) in container.Entries())
        {
            byte[] utf8 = ModelContainer.StrictUtf8.GetBytes(entryName);
            w.PutUInt16((ushort)utf8.Length);
            w.PutByte((byte)e.Type);
            w.PutByte((byte)(e.Shape?.Length ?? 0));
            w.Put(utf8);
            if (e.Shape is { } shape)
                foreach (int d in shape) w.PutUInt32((uint)d);
            w.PutUInt64((ulong)e.PayloadBytes);
            for (int pad = ModelFileFormat.Padding(e.Type, w.Position); pad > 0; pad--) w.PutByte(0);
            switch (e.Type)
            {
                case ModelEntryType.Int64:
                case ModelEntryType.Double:
                    w.PutUInt64((ulong)e.Bits);
                    break;
                case ModelEntryType.String:
                case ModelEntryType.Bytes:
                    w.Put(e.Bytes);
                    break;
                default:
                    w.PutFloats(e.Tensor!);
                    break;
            }
        }

        if (w.Position != length - ModelFileFormat.TrailerBytes)
            throw new InvalidOperationException($"Model layout predicted {length - ModelFileFormat.TrailerBytes} bytes before the checksum, wrote {w.Position}.");
        w.Flush();
        Span<byte> trailer = stackalloc byte[ModelFileFormat.TrailerBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, w._crc);
        stream.Write(trailer);
        stream.Flush();
    }

    /// <summary>The model's total length; the header states it, so it is known before any byte is written.</summary>
    internal static long Layout(ModelContainer container)
    {
        long position = ModelFileFormat.HeaderBytes;
        foreach (var (name, e) in container.Entries())
        {
            position += ModelFileFormat.EntryFixedBytes + ModelContainer.StrictUtf8.GetByteCount(name)
                      + 4L * (e.Shape?.Length ?? 0) + ModelFileFormat.PayloadSizeBytes;
            position += ModelFileFormat.Padding(e.Type, position) + e.PayloadBytes;
        }
        return position + ModelFileFormat.TrailerBytes;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private Span<byte> Reserve(int bytes)
    {
        if (_used + bytes > BufferBytes) Flush();
        var span = _buffer.AsSpan(_used, bytes);
        _used += bytes;
        Position += bytes;
        return span;
    }

    private void Flush()
    {
        _crc = Crc32C.Append(_crc, _buffer.AsSpan(0, _used));
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    private void PutByte(byte v) => Reserve(1)[0] = v;

    private void PutUInt16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), v);

    private void PutUInt32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), v);

    private void PutUInt64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), v);

    private void Put(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int n = Math.Min(bytes.Length, BufferBytes);
            bytes[..n].CopyTo(Reserve(n));
            bytes = bytes[n..];
        }
    }

    private void PutFloats(ReadOnlySpan<float> values)
    {
        const int chunk = BufferBytes / 4;
        while (!values.IsEmpty)
        {
            int n = Math.Min(values.Length, chunk);
            var dst = MemoryMarshal.Cast<byte, int>(Reserve(4 * n));
            var src = MemoryMarshal.Cast<float, int>(values[..n]);
            if (BitConverter.IsLittleEndian) src.CopyTo(dst);
            else BinaryPrimitives.ReverseEndianness(src, dst);
            values = values[n..];
        }
    }
}
