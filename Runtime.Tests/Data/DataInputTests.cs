using System.Text;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

/// <summary>Format detection from content and reading streams that cannot seek (pipes, standard input).</summary>
public sealed class DataInputTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly byte[] Labels = [0, 1, 2, 1];

    [Theory]
    [InlineData("labels.csv", false)]
    [InlineData("labels.csv", true)]
    [InlineData("labels", true)]
    public void IdxIsToldFromTheContentWhateverTheName(string name, bool gzip)
    {
        string path = _files.Write(name, IdxBytes.Labels(Labels), gzip);

        using DataInput input = DataInput.Open(path);

        Assert.Equal(DataFileFormat.Idx, input.Format);
        Assert.Equal(gzip, input.IsCompressed);
        Assert.Equal([0f, 1f, 2f, 1f], IdxReader.Read(input).Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CsvIsToldFromTheContentEvenNamedIdx(bool gzip)
    {
        string path = _files.WriteText("data.idx", "1,2,0\n3,4,1\n", gzip);

        using DataInput input = DataInput.Open(path);

        Assert.Equal(DataFileFormat.Csv, input.Format);
        Assert.Equal(2, CsvLoader.Load(input).Count);
    }

    [Fact]
    public void CsvLoaderRefusesIdxContentSayingSo()
    {
        string path = _files.Write("images.csv", IdxBytes.Images(Labels), gzip: false);

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Contains("IDX", e.Message);
        Assert.DoesNotContain("field", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxReadsFromAStreamThatCannotSeek(bool gzip)
    {
        byte[] bytes = IdxBytes.Images(Labels);
        using var pipe = new NonSeekableStream(gzip ? IdxBytes.Gzip(bytes) : bytes);

        IdxArray images = IdxReader.Read(pipe, "stdin");

        Assert.Equal([4, 4, 4], images.Dimensions);
        Assert.Equal(bytes[^1], images.Values[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CsvReadsFromAStreamThatCannotSeek(bool gzip)
    {
        byte[] text = Encoding.UTF8.GetBytes("a,b,label\n1,2,0\n3,4,1\n5,6,0\n");
        using var pipe = new NonSeekableStream(gzip ? IdxBytes.Gzip(text) : text);

        Dataset d = CsvLoader.Load(pipe, "stdin");

        Assert.Equal(3, d.Count);
        Assert.Equal([0, 1, 0], d.Labels!);
    }

    [Fact]
    public void TruncatedIdxOnAStreamReportsWhereTheDataEnds()
    {
        byte[] bytes = IdxBytes.Images(Labels);
        using var pipe = new NonSeekableStream(bytes[..^5]);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(pipe, "stdin"));

        Assert.Contains("truncated", e.Message);
        Assert.Equal(bytes.Length - 5, e.Offset);
    }

    [Fact]
    public void CorruptGzipIsReportedAsSuch()
    {
        byte[] zipped = IdxBytes.Gzip(IdxBytes.Images(Labels));
        for (int i = 12; i < zipped.Length - 8; i++) zipped[i] ^= 0x5A;
        string path = _files.Write("broken.gz", zipped);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.Read(path));

        Assert.Contains("gzip", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void AFolderIsNotADataFile()
    {
        var e = Assert.Throws<IOException>(() => DataInput.Open(Path.GetTempPath()));

        Assert.Contains("folder", e.Message);
    }
}
