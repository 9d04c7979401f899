using System.Buffers.Binary;

namespace Simd.Runtime.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a magic number <c>00 00 type rank</c>, <c>rank</c> big-endian int32
/// dimensions, then the big-endian values), plain or gzip-compressed. The header is validated before anything is
/// allocated; a short file fails with the byte offset where data ran out.
/// </summary>
public static class IdxReader
{
    /// <summary>Default cap on the number of values a file may declare: 256 M (1 GiB as float).</summary>
    public const long DefaultMaxElements = 1L << 28;

    /// <summary>Highest rank accepted; MNIST-style files use 1 (labels) and 3 (images).</summary>
    public const int MaxRank = 8;

    public static IdxArray Read(string path, long maxElements = DefaultMaxElements)
    {
        using var stream = DataStreams.OpenRead(path, out bool compressed);
        try
        {
            return Read(stream, path, maxElements, compressed ? null : new FileInfo(path).Length);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"the gzip stream is corrupt ({e.Message}).");
        }
    }

    /// <summary>Reads an IDX array from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Read(Stream stream, string source, long maxElements = DefaultMaxElements) =>
        Read(stream, source, maxElements, stream.CanSeek ? stream.Length - stream.Position : null);

    private static IdxArray Read(Stream stream, string source, long maxElements, long? knownLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxElements, 1);

        Span<byte> magic = stackalloc byte[4];
        ReadHeader(stream, magic, 0, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DatasetFormatException(source,
                $"magic number {System.Convert.ToHexString(magic)} is not an IDX magic number (expected 0000 followed by a type and a rank byte).", offset: 0);
        var type = (IdxElementType)magic[2];
        int elementSize = ElementSize(type);
        if (elementSize == 0)
            throw new DatasetFormatException(source,
                $"element type 0x{magic[2]:X2} is unknown (expected 08 ubyte, 09 sbyte, 0B int16, 0C int32, 0D float32 or 0E float64).", offset: 2);
        int rank = magic[3];
        if (rank is < 1 or > MaxRank)
            throw new DatasetFormatException(source, $"rank {rank} is outside [1, {MaxRank}].", offset: 3);

        var dimensions = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            long at = 4 + 4L * i;
            ReadHeader(stream, dim, at, source, $"dimension {i} of {rank}");
            int size = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (size < 0)
                throw new DatasetFormatException(source, $"dimension {i} is {size}; sizes must not be negative.", offset: at);
            dimensions[i] = size;
            count *= size;
            if (count > maxElements)
                throw new DatasetFormatException(source,
                    $"dimensions [{string.Join(", ", dimensions[..(i + 1)])}{(i + 1 < rank ? ", …" : "")}] declare more than {maxElements:N0} values, the limit.", offset: at);
        }

        long dataStart = 4 + 4L * rank;
        long dataBytes = count * elementSize;
        if (dataBytes > Array.MaxLength)
            throw new DatasetFormatException(source,
                $"dimensions [{string.Join(", ", dimensions)}] declare {dataBytes:N0} data bytes, more than one array holds.", offset: 4);
        if (knownLength is long length && length < dataStart + dataBytes)
            throw new DatasetFormatException(source,
                $"truncated: dimensions [{string.Join(", ", dimensions)}] need {dataBytes:N0} data bytes after the {dataStart}-byte header, the file ends after {Math.Max(0, length - dataStart):N0}.",
                offset: length);

        byte[] raw = ReadData(stream, source, dataStart, (int)dataBytes);
        var values = new float[count];
        ConvertValues(type, raw, values);
        return new IdxArray(type, dimensions, values);
    }

    /// <summary>
    /// Loads an images file and its labels file (MNIST layout) into a dataset of flattened images scaled by
    /// <paramref name="scale"/> (1/255 maps bytes onto [0, 1]).
    /// </summary>
    public static Dataset LoadDataset(string imagesPath, string labelsPath, string name, int classCount, float scale = 1f / 255f)
    {
        IdxArray images = Read(imagesPath);
        IdxArray labels = Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw new DatasetFormatException(labelsPath, $"labels have rank {labels.Dimensions.Length}, expected 1.");
        if (images.Count != labels.Count)
            throw new DatasetFormatException(labelsPath, $"holds {labels.Count} labels for the {images.Count} images of '{imagesPath}'.");
        if (images.Dimensions.Length < 2)
            throw new DatasetFormatException(imagesPath, $"images have rank {images.Dimensions.Length}, expected at least 2 (count, then the item shape).");

        var classes = new int[labels.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            float v = labels.Values[i];
            if (v < 0 || v >= classCount || v != MathF.Floor(v))
                throw new DatasetFormatException(labelsPath, $"label {v} of item {i} is outside the {classCount} classes [0, {classCount - 1}].",
                    offset: 8 + (long)i * ElementSize(labels.ElementType));
            classes[i] = (int)v;
        }
        float[] features = images.Values;
        if (scale != 1f)
        {
            for (int i = 0; i < features.Length; i++) features[i] *= scale;
        }
        return new Dataset(name, features, images.ItemSize, classes, classCount);
    }

    private static void ReadHeader(Stream stream, Span<byte> into, long offset, string source, string what)
    {
        int read = stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false);
        if (read < into.Length)
            throw new DatasetFormatException(source, $"truncated in the header: {what} needs {into.Length} bytes, {read} remain.", offset: offset + read);
    }

    private static byte[] ReadData(Stream stream, string source, long dataStart, int dataBytes)
    {
        // A compressed stream's length is unknown until read, so the buffer grows with the data actually
        // present instead of trusting the header: a truncated file never costs its declared size in memory.
        byte[] buffer = new byte[Math.Min(dataBytes, 1 << 20)];
        int filled = 0;
        while (filled < dataBytes)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(dataBytes, 2L * buffer.Length));
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
                throw new DatasetFormatException(source,
                    $"truncated: expected {dataBytes:N0} data bytes after the {dataStart}-byte header, the data ends after {filled:N0}.",
                    offset: dataStart + filled);
            filled += read;
        }
        return buffer;
    }

    private static void ConvertValues(IdxElementType type, byte[] raw, float[] values)
    {
        ReadOnlySpan<byte> r = raw;
        switch (type)
        {
            case IdxElementType.UnsignedByte:
                for (int i = 0; i < values.Length; i++) values[i] = r[i];
                break;
            case IdxElementType.SignedByte:
                for (int i = 0; i < values.Length; i++) values[i] = (sbyte)r[i];
                break;
            case IdxElementType.Int16:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt16BigEndian(r.Slice(2 * i));
                break;
            case IdxElementType.Int32:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32BigEndian(r.Slice(4 * i));
                break;
            case IdxElementType.Single:
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(r.Slice(4 * i));
                break;
            case IdxElementType.Double:
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(r.Slice(8 * i));
                break;
        }
    }

    internal static int ElementSize(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Single => 4,
        IdxElementType.Double => 8,
        _ => 0,
    };
}
