using System.IO.Compression;

namespace Simd.Runtime.Data;

/// <summary>Reads data that may or may not be gzip-compressed.</summary>
internal static class DataStreams
{
    /// <summary>
    /// The content of <paramref name="raw"/>, decompressed when its first two bytes are the gzip magic. Nothing
    /// seeks: the magic is peeked at and read again, so a pipe works like a file.
    /// </summary>
    internal static PeekStream Decompress(Stream raw, bool leaveOpen, out bool compressed)
    {
        var peek = new PeekStream(raw, leaveOpen);
        ReadOnlySpan<byte> magic = peek.Peek(2);
        compressed = magic.Length == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        return compressed ? new PeekStream(new GZipStream(peek, CompressionMode.Decompress, leaveOpen: false), leaveOpen: false) : peek;
    }
}
