using System.Buffers.Binary;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private static byte[] Idx(byte type, int[] dims, byte[] payload) => IdxBytes.Idx(type, dims, payload);

    private static byte[] Images(int count, int rows, int cols) =>
        Idx(0x08, [count, rows, cols], Enumerable.Range(0, count * rows * cols).Select(i => (byte)(i * 7)).ToArray());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsUnsignedBytesWithDimensions(bool gzip)
    {
        string path = _files.Write("images.idx", Images(3, 2, 4), gzip);

        IdxArray a = IdxReader.Read(path);

        Assert.Equal(IdxElementType.UnsignedByte, a.ElementType);
        Assert.Equal([3, 2, 4], a.Dimensions);
        Assert.Equal(3, a.Count);
        Assert.Equal(8, a.ItemSize);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)(byte)(i * 7)), a.Values);
    }

    [Fact]
    public void ReadsBigEndianWiderTypes()
    {
        var payload = new byte[3 * 4];
        BinaryPrimitives.WriteSingleBigEndian(payload.AsSpan(0), 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(payload.AsSpan(4), -2.25f);
        BinaryPrimitives.WriteSingleBigEndian(payload.AsSpan(8), 1e10f);
        Assert.Equal([1.5f, -2.25f, 1e10f], IdxReader.Read(_files.Write("f.idx", Idx(0x0D, [3], payload))).Values);

        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(0), -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 12345);
        Assert.Equal([-300f, 12345f], IdxReader.Read(_files.Write("s.idx", Idx(0x0B, [2], shorts))).Values);

        Assert.Equal([-1f, 127f], IdxReader.Read(_files.Write("b.idx", Idx(0x09, [2], [0xFF, 0x7F]))).Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsImagesAndLabelsAsScaledDataset(bool gzip)
    {
        string images = _files.Write("img.idx", Images(4, 2, 2), gzip);
        string labels = _files.Write("lbl.idx", Idx(0x08, [4], [3, 0, 9, 1]), gzip);

        Dataset d = IdxReader.LoadDataset(images, labels, "tiny", classCount: 10);

        Assert.Equal(4, d.Count);
        Assert.Equal(4, d.FeatureCount);
        Assert.Equal([3, 0, 9, 1], d.Labels!);
        Assert.Equal((byte)(5 * 7) / 255f, d.Features[5], 6);
    }

    [Fact]
    public void LabelCountMismatchIsAnError()
    {
        string images = _files.Write("img.idx", Images(4, 2, 2));
        string labels = _files.Write("lbl.idx", Idx(0x08, [3], [1, 2, 3]));

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.LoadDataset(images, labels, "x", 10));
        Assert.Contains("3 labels for the 4 images", e.Message);
    }

    [Fact]
    public void LabelOutsideClassesNamesItsOffset()
    {
        string images = _files.Write("img.idx", Images(2, 2, 2));
        string labels = _files.Write("lbl.idx", Idx(0x08, [2], [1, 12]));

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.LoadDataset(images, labels, "x", 10));
        Assert.Equal(9, e.Offset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataNamesTheOffset(bool gzip)
    {
        byte[] full = Images(3, 2, 4);
        string path = _files.Write("cut.idx", full[..^5], gzip);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.Equal(full.Length - 5, e.Offset);
        Assert.Contains("truncated", e.Message);
        Assert.Contains($"offset {full.Length - 5}", e.Message);
    }

    [Fact]
    public void TruncatedHeaderNamesTheOffset()
    {
        byte[] full = Images(3, 2, 4);
        string path = _files.Write("cut-header.idx", full[..10], gzip: true);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.Equal(10, e.Offset);
        Assert.Contains("dimension 1 of 3", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, 0, "not an IDX magic number")]
    [InlineData(new byte[] { 0x00, 0x00, 0x07, 0x01 }, 2, "element type 0x07 is unknown")]
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x00 }, 3, "rank 0")]
    [InlineData(new byte[] { 0x00, 0x00, 0x08, 0x20 }, 3, "rank 32")]
    public void WrongMagicIsRejected(byte[] magic, long offset, string expected)
    {
        string path = _files.Write("magic.idx", [.. magic, 0, 0, 0, 1, 0]);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.Equal(offset, e.Offset);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AbsurdDimensionsAreRejectedBeforeAllocating()
    {
        string path = _files.Write("huge.idx", Idx(0x0E, [int.MaxValue, int.MaxValue, 4], [1, 2, 3]), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        // The header alone fails; nothing near the declared size may have been allocated.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal(4, e.Offset);
        Assert.Contains("limit", e.Message);
    }

    [Fact]
    public void ProductOverTheLimitIsCaughtAtTheDimensionThatCrossesIt()
    {
        // Each size is modest; their product (10^9) is not.
        string path = _files.Write("cube.idx", Idx(0x08, [1000, 1000, 1000], [1, 2, 3]));

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.Equal(12, e.Offset);
        Assert.Contains("[1000, 1000, 1000]", e.Message);
    }

    [Fact]
    public void NegativeDimensionIsRejected()
    {
        string path = _files.Write("neg.idx", Idx(0x08, [2, -3], []));

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));
        Assert.Contains("-3", e.Message);
    }

    [Fact]
    public void DeclaredSizeBeyondAPlainFileFailsBeforeReading()
    {
        // 100 M bytes declared, 3 present: the file length check fails before any buffer is sized.
        string path = _files.Write("short.idx", Idx(0x08, [100, 1000, 1000], [1, 2, 3]));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal(19, e.Offset);
    }

    [Fact]
    public void GzipTruncatedFarBeforeDeclaredSizeAllocatesOnlyWhatIsThere()
    {
        string path = _files.Write("short.idx.gz", Idx(0x08, [200, 1000, 1000], [1, 2, 3]), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
        Assert.Equal(19, e.Offset);
    }

    [Fact]
    public void LimitOnElementsIsConfigurable()
    {
        string path = _files.Write("img.idx", Images(3, 2, 4));

        Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path, maxElements: 10));
        Assert.Equal(24, IdxReader.Read(path, maxElements: 24).Values.Length);
    }
}
