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
        using DataInput input = DataInput.Open(path);
        return Read(input, maxElements);
    }

    /// <summary>
    /// Reads an IDX array (plain or gzip-compressed) from <paramref name="stream"/>, which need not seek;
    /// <paramref name="source"/> names it in errors. The stream is left open.
    /// </summary>
    public static IdxArray Read(Stream stream, string source, long maxElements = DefaultMaxElements)
    {
        using DataInput input = DataInput.Open(stream, source, leaveOpen: true);
        return Read(input, maxElements);
    }

    /// <summary>Reads the IDX array of an opened <see cref="DataInput"/>.</summary>
    public static IdxArray Read(DataInput input, long maxElements = DefaultMaxElements)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return Read(input.Stream, input.Source, maxElements, input.Length);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(input.Source, $"the gzip stream is corrupt ({e.Message}).");
        }
    }

    /// <summary>True when <paramref name="head"/> (at least 4 bytes) starts like an IDX file: 00 00, a known type, a rank in [1, <see cref="MaxRank"/>].</summary>
    public static bool IsMagic(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 0 && head[1] == 0 && ElementSize((IdxElementType)head[2]) != 0 && head[3] is >= 1 and <= MaxRank;

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
    /// <paramref name="scale"/> (1/255 maps bytes onto [0, 1]). <paramref name="classCount"/> as
    /// <see cref="CsvOptions.ClassCount"/>: given, every label lies below it; null, the labels must be 0..N−1.
    /// </summary>
    public static Dataset LoadDataset(string imagesPath, string labelsPath, string name, int? classCount = null, float scale = 1f / 255f) =>
        ToDataset(Read(imagesPath), imagesPath, Read(labelsPath), labelsPath, name, classCount, scale);

    /// <summary>
    /// The dataset of an images array and its labels array, as <see cref="LoadDataset"/> (which reads them from
    /// files); <paramref name="imagesSource"/> and <paramref name="labelsSource"/> name them in errors. The images'
    /// values are scaled in place.
    /// </summary>
    public static Dataset ToDataset(IdxArray images, string imagesSource, IdxArray labels, string labelsSource, string name,
                                    int? classCount = null, float scale = 1f / 255f)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Dimensions.Length < 2)
            throw new DatasetFormatException(imagesSource,
                $"holds an array of rank {images.Dimensions.Length}, not images (expected rank 2 or more: the count, then the item shape).");
        if (images.Count == 0 || images.ItemSize == 0)
            throw new DatasetFormatException(imagesSource, $"holds no image data (dimensions [{string.Join(", ", images.Dimensions)}]).");
        if (labels.Dimensions.Length != 1)
            throw new DatasetFormatException(labelsSource, $"labels have rank {labels.Dimensions.Length}, expected 1.");
        if (images.Count != labels.Count)
            throw new DatasetFormatException(labelsSource, $"holds {labels.Count:N0} labels for the {images.Count:N0} images of '{imagesSource}'.");

        int labelSize = ElementSize(labels.ElementType);
        long OffsetOf(int i) => 8 + (long)i * labelSize;
        var classes = new int[labels.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            float v = labels.Values[i];
            if (!(v >= 0 && v <= int.MaxValue) || v != MathF.Floor(v))
                throw new DatasetFormatException(labelsSource, $"label {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} of sample {i} is not a class index (a whole number ≥ 0).",
                    offset: OffsetOf(i));
            classes[i] = (int)v;
        }
        int count = ClassLabels.Resolve(classes, classCount, labelsSource, i => new ClassLabels.Location(null, OffsetOf(i), $" of sample {i}"));
        float[] features = images.Values;
        if (scale != 1f)
        {
            for (int i = 0; i < features.Length; i++) features[i] *= scale;
        }
        return new Dataset(name, features, images.ItemSize, classes, count);
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
