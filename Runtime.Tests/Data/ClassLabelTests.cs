using System.Text;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

/// <summary>
/// Class counts: given, every label lies below it; inferred, the labels present must be 0..N−1, and a stray one is
/// reported where it is instead of silently widening the model.
/// </summary>
public sealed class ClassLabelTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string TenClassCsvWith(int stray, int atRow)
    {
        var text = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 60; i++) text.Append($"{i},{i % 7},{(i == atRow ? stray : i % 10)}\n");
        return _files.WriteText("data.csv", text.ToString());
    }

    [Fact]
    public void AStrayCsvLabelIsReportedWithItsLineAndTheCountThatWouldTakeIt()
    {
        string path = TenClassCsvWith(99, atRow: 55);

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(57, e.Line);
        Assert.Equal(100, e.ClassCountNeeded);
        Assert.Equal("label 99 is not one of the classes 0..9 of the other labels", e.Problem);
        Assert.Equal($"{path}, line 57: label 99 is not one of the classes 0..9 of the other labels; give the class count 100 if the data really has 100 classes",
                     e.Message);
    }

    [Fact]
    public void AGivenClassCountTakesTheLabelsAsGiven()
    {
        string path = TenClassCsvWith(99, atRow: 55);

        Dataset d = CsvLoader.Load(path, new CsvOptions { ClassCount = 100 });

        Assert.Equal(100, d.ClassCount);
        Assert.Equal(99, d.Labels![55]);
    }

    [Fact]
    public void ALabelAtOrAboveAGivenClassCountIsAnError()
    {
        string path = TenClassCsvWith(99, atRow: 55);

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path, new CsvOptions { ClassCount = 10 }));

        Assert.Equal(57, e.Line);
        Assert.Null(e.ClassCountNeeded);
        Assert.Contains("label 99 is outside the 10 classes 0..9", e.Message);
    }

    [Fact]
    public void AGapAboveTheOtherLabelsNamesThem()
    {
        string path = _files.WriteText("gap.csv", "1,0\n2,1\n3,3\n4,0\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(3, e.Line);
        Assert.Equal(4, e.ClassCountNeeded);
        Assert.Equal("label 3 is not one of the classes 0..1 of the other labels", e.Problem);
    }

    [Fact]
    public void GapsAmongTheOtherLabelsListThemAll()
    {
        string path = _files.WriteText("gaps.csv", "1,0\n2,2\n3,5\n4,0\n");

        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(path));

        Assert.Equal(3, e.Line);
        Assert.Equal(6, e.ClassCountNeeded);
        Assert.Equal("label 5 does not fit the classes 0..2 of the 3 distinct labels present (0, 2, 5): class labels number the classes from 0 without gaps",
                     e.Problem);
    }

    [Fact]
    public void TheLargestPossibleLabelOffersNoCount()
    {
        var e = Assert.Throws<DatasetFormatException>(() => CsvLoader.Load(_files.WriteText("max.csv", "1,0\n2,1\n3,2147483647\n")));

        Assert.Null(e.ClassCountNeeded);
        Assert.Equal(3, e.Line);
        Assert.DoesNotContain("-2147483648", e.Message);
    }

    [Fact]
    public void LabelsNumberedFromZeroNeedNoCount()
    {
        Dataset d = CsvLoader.Load(_files.WriteText("ok.csv", "1,2\n2,0\n3,1\n"));

        Assert.Equal(3, d.ClassCount);
    }

    [Fact]
    public void AStrayIdxLabelNamesTheFileTheSampleAndTheOffset()
    {
        byte[] labels = [.. IdxBytes.Cycle(20, 10)];
        labels[13] = 99;
        string images = _files.Write("train-images-idx3-ubyte", IdxBytes.Images(labels), gzip: false);
        string labelsPath = _files.Write("train-labels-idx1-ubyte", IdxBytes.Labels(labels), gzip: false);

        var e = Assert.Throws<DatasetFormatException>(() => IdxReader.LoadDataset(images, labelsPath, "x"));

        Assert.StartsWith($"{labelsPath}, offset 21: label 99 of sample 13 is not one of the classes 0..9 of the other labels", e.Message);
        Assert.Equal(100, e.ClassCountNeeded);
        Assert.Equal(100, IdxReader.LoadDataset(images, labelsPath, "x", classCount: 100).ClassCount);
    }

    [Fact]
    public void BadSettingsAreWordedWithoutParameterNames()
    {
        string path = _files.WriteText("narrow.csv", "1,2,0\n");

        var count = Assert.Throws<ArgumentException>(() => CsvLoader.Load(path, new CsvOptions { ClassCount = 0 }));
        var column = Assert.Throws<ArgumentException>(() => CsvLoader.Load(path, new CsvOptions { LabelColumn = 5 }));

        Assert.Equal("The class count must be at least 1, not 0.", count.Message);
        Assert.Equal($"{path}: label column 5 is outside the 3 columns of line 1.", column.Message);
    }
}
