using System.IO.Compression;
using System.Text;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

public sealed class DataStreamsTests
{
    [Fact]
    public void AGzipStreamIsDecompressedAndAPlainOneReadAsItIs()
    {
        byte[] text = Encoding.UTF8.GetBytes("1,2,0\n");
        var packed = new MemoryStream();
        using (var zip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(text);
        packed.Position = 0;

        using (Stream s = DataStreams.Decompress(packed, leaveOpen: false, out bool compressed))
        {
            Assert.True(compressed);
            Assert.Equal(text, ReadAll(s));
        }
        var plain = new MemoryStream(text);
        using (Stream s = DataStreams.Decompress(plain, leaveOpen: false, out bool compressed))
        {
            Assert.False(compressed);
            Assert.Equal(text, ReadAll(s));
        }
    }

    [Fact]
    public void AStreamShorterThanTheMagicIsPlain()
    {
        using Stream s = DataStreams.Decompress(new MemoryStream([0x1F]), leaveOpen: false, out bool compressed);

        Assert.False(compressed);
        Assert.Equal([0x1F], ReadAll(s));
    }

    private static byte[] ReadAll(Stream s)
    {
        var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
