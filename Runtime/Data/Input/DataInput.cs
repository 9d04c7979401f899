namespace Simd.Runtime.Data;

/// <summary>
/// A data file or stream opened for reading, decompressed when it starts with the gzip magic bytes, with its
/// <see cref="Format"/> told from its first bytes (the IDX magic number, else CSV text). Nothing seeks, so pipes,
/// named pipes and standard input work like files: the bytes looked at are kept and read again from
/// <see cref="Stream"/>.
/// </summary>
public sealed class DataInput : IDisposable
{
    private DataInput(Stream stream, string source, DataFileFormat format, bool compressed, long? length)
    {
        Stream = stream;
        Source = source;
        Format = format;
        IsCompressed = compressed;
        Length = length;
    }

    /// <summary>The content from its first byte (decompressed); read it once, front to back.</summary>
    public Stream Stream { get; }

    /// <summary>The path or stream name that errors name.</summary>
    public string Source { get; }

    public DataFileFormat Format { get; }

    public bool IsCompressed { get; }

    /// <summary>The content's length in bytes when known without reading it (a plain regular file), else null.</summary>
    public long? Length { get; }

    /// <summary>Opens the file at <paramref name="path"/> (a regular file, a named pipe or a device such as /dev/stdin).</summary>
    public static DataInput Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new IOException($"'{path}' is a folder, not a data file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Open(file, path, leaveOpen: false, file.CanSeek ? file.Length - file.Position : null);
    }

    /// <summary>
    /// Reads <paramref name="stream"/> (standard input, a network or archive stream); <paramref name="source"/> names
    /// it in errors. The stream need not seek.
    /// </summary>
    public static DataInput Open(Stream stream, string source, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return Open(stream, source, leaveOpen, stream.CanSeek ? stream.Length - stream.Position : null);
    }

    private static DataInput Open(Stream raw, string source, bool leaveOpen, long? rawLength)
    {
        PeekStream content;
        bool compressed;
        try
        {
            content = DataStreams.Decompress(raw, leaveOpen, out compressed);
        }
        catch
        {
            if (!leaveOpen) raw.Dispose();
            throw;
        }
        try
        {
            ReadOnlySpan<byte> head = content.Peek(4);
            DataFileFormat format = head.Length == 4 && IdxReader.IsMagic(head) ? DataFileFormat.Idx : DataFileFormat.Csv;
            return new DataInput(content, source, format, compressed, compressed ? null : rawLength);
        }
        catch (InvalidDataException e)
        {
            content.Dispose();
            throw new DatasetFormatException(source, $"the gzip stream is corrupt ({e.Message}).");
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    public void Dispose() => Stream.Dispose();
}
