using System.IO.Compression;

namespace Simd.Runtime.Data;

/// <summary>Opens data files that may or may not be gzip-compressed.</summary>
internal static class DataStreams
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, decompressing it when it starts with the gzip magic bytes.
    /// The content decides, not the extension, so a renamed file still loads.
    /// </summary>
    public static Stream OpenRead(string path, out bool compressed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return Decompressing(file, out compressed);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="stream"/> itself, or a decompressor over it (which then owns it) when it starts with the gzip
    /// magic bytes. The stream must be seekable: the magic bytes are read and the position put back.
    /// </summary>
    public static Stream Decompressing(Stream stream, out bool compressed)
    {
        if (!stream.CanSeek) throw new ArgumentException("The data stream must be seekable to detect gzip.", nameof(stream));
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        compressed = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        return compressed ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false) : stream;
    }
}
