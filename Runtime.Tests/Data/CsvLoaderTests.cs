using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

public sealed class CsvLoaderTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsFeaturesAndLastColumnLabels(bool gzip)
    {
        string path = _files.WriteText("plain.csv", "1,2,0\n3.5,-4e2,2\r\n\n5, 6 ,1\n", gzip);

        Dataset d = CsvLoader.Load(path);

        Assert.Equal("plain", d.Name);
        Assert.Equal(3, d.Count);
        Assert.Equal(2, d.FeatureCount);
        Assert.Equal(3, d.ClassCount);
        Assert.Equal([1f, 2f, 3.5f, -400f, 5f, 6f], d.Features);
        Assert.Equal([0, 2, 1], d.Labels!);
    }

    [Fact]
    public void DetectsAndSkipsHeader()
    {
        string path = _files.WriteText("header.csv", "3,2,setosa,versicolor\n1,2,0\n3,4,1\n5,6,1\n");

        Dataset d = CsvLoader.Load(path);

        Assert.Equal(3, d.Count);
        Assert.Equal([0, 1, 1], d.Labels!);
    }

    [Fact]
    public void ExplicitHeaderSkipsANumericFirstLine()
    {
        string path = _files.WriteText("numeric-header.csv", "7,8,9\n1,2,0\n");

        Assert.Equal(2, CsvLoader.Load(path, new CsvOptions { ClassCount = 10 }).Count);
        Assert.Equal(1, CsvLoader.Load(path, new CsvOptions { HasHeader = true }).Count);
    }

    [Fact]
    public void LabelColumnByIndexAndFromTheEnd()
    {
        string path = _files.WriteText("first.csv", "2,10,20\n0,30,40\n");

        Dataset first = CsvLoader.Load(path, new CsvOptions { LabelColumn = 0, ClassCount = 4 });
        Assert.Equal([2, 0], first.Labels!);
        Assert.Equal([10f, 20f, 30f, 40f], first.Features);
        Assert.Equal(4, first.ClassCount);

        Dataset middle = CsvLoader.Load(path, new CsvOptions { LabelColumn = -2, ClassCount = 31 });
        Assert.Equal([10, 30], middle.Labels!);
        Assert.Equal([2f, 20f, 0f, 40f], middle.Features);
    }

    [Fact]
    public void BinaryTargetsBecomeOneFloatPerSample()
    {
        string path = _files.WriteText("binary.csv", "1,2,1\n3,4,0\n");

        Dataset d = CsvLoader.Load(path, new CsvOptions { Labels = CsvLabelKind.BinaryTarget });

        Assert.False(d.IsMultiClass);
        Assert.Equal(1, d.TargetCount);
        Assert.Equal([1f, 0f], d.Targets!);
    }

    [Fact]
    public void RaggedRowNamesLineAndExpectedFieldCount()
    {
        string path = _files.WriteText("ragged.csv", "1,2,0\n3,4,1\n5,1\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(3, e.Line);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("has 2 fields, expected 3", e.Message);
    }

    [Fact]
    public void TooManyFieldsIsRaggedToo()
    {
        string path = _files.WriteText("wide.csv", "1,2,0\n3,4,5,1\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(2, e.Line);
        Assert.Contains("has 4 fields, expected 3", e.Message);
    }

    [Theory]
    [InlineData("1,abc,0", 2, "'abc' is not a number")]
    [InlineData("1,NaN,0", 2, "not a finite number")]
    [InlineData("1,2,x", 3, "label 'x'")]
    [InlineData("1,2,1.5", 3, "label '1.5'")]
    [InlineData("1,2,-1", 3, "label '-1'")]
    public void BadValueNamesLineAndColumn(string badRow, int column, string expected)
    {
        string path = _files.WriteText("bad.csv", "1,2,0\n" + badRow + "\n", gzip: true);

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(2, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains($"line 2, column {column}", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void BinaryLabelOtherThanZeroOrOneIsRejected()
    {
        string path = _files.WriteText("binary-bad.csv", "1,2,2\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path, new CsvOptions { Labels = CsvLabelKind.BinaryTarget }));
        Assert.Contains("not 0 or 1", e.Message);
    }

    [Fact]
    public void LabelBeyondGivenClassCountIsRejected()
    {
        string path = _files.WriteText("classes.csv", "1,2,0\n3,4,5\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path, new CsvOptions { ClassCount = 3 }));
        Assert.Contains("label 5", e.Message);
    }

    [Fact]
    public void EmptyFileAndHeaderOnlyFileAreErrors()
    {
        Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(_files.WriteText("empty.csv", "")));
        Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(_files.WriteText("header-only.csv", "a,b,label\n")));
    }

    [Fact]
    public void LabelColumnOutsideTheRowIsAnArgumentError()
    {
        string path = _files.WriteText("narrow.csv", "1,2,0\n");

        Assert.Throws<ArgumentException>(() => CsvLoader.Load(path, new CsvOptions { LabelColumn = 3 }));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = _files.PathOf("absent.csv");

        var e = Assert.Throws<FileNotFoundException>(() => CsvLoader.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptGzipIsAFormatError()
    {
        string path = _files.Write("corrupt.csv.gz", [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0x01, 0x02, 0x03]);

        Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));
    }
}
