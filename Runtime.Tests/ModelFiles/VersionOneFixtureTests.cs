using System.Globalization;
using Simd.Runtime.Data;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tests.CommandLine;

// Not "ModelFiles": that namespace would hide the ModelFiles helpers of Serialization from the tests around it.
namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// A model file written by the layer-chain runtime (format version 1: the digits MLP 64-16-10 with batch norm and
/// dropout, and the feature scaling the command line adds) still loads, predicts what that runtime predicted, and is
/// rewritten as version 2. Fixtures/digits-v1.expected.csv holds 5 × 64 inputs, then that runtime's
/// <c>Model.Predict</c> outputs, then its <c>InferenceModel.Load(...).Predict</c> outputs.
/// </summary>
public sealed class VersionOneFixtureTests
{
    private const int Rows = 5;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "ModelFiles", "Fixtures", name);

    private static string ModelPath => Fixture("digits-v1.model");

    private static float[][] Expected() =>
        [.. File.ReadAllLines(Fixture("digits-v1.expected.csv")).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    private static int[] Bits(ReadOnlySpan<float> values) => [.. values.ToArray().Select(BitConverter.SingleToInt32Bits)];

    [Fact]
    public void TheFixtureIsAVersionOneFile()
    {
        var container = ModelContainer.Load(ModelPath);
        Assert.Equal("simd.sequential", container.GetString("model.format"));
        Assert.Equal(1, container.GetInt64("model.version"));
        Assert.Equal(3, Expected().Length);
    }

    [Fact]
    public void ModelLoadPredictsBitwiseWhatTheLayerChainPredicted()
    {
        var expected = Expected();
        using var model = Model.Load(ModelPath);
        Assert.Equal((64, 10), (model.InputSize, model.OutputSize));
        var y = new float[Rows * 10];
        model.Predict(expected[0], y);
        Assert.Equal(Bits(expected[1]), Bits(y));
    }

    [Fact]
    public void InferenceModelLoadPredictsWhatTheLayerChainPredictedToOneMillionth()
    {
        var expected = Expected();
        using var frozen = InferenceModel.Load(ModelPath);
        var y = new float[Rows * 10];
        frozen.Predict(expected[0], Rows, y);
        AssertClose(expected[2], y);
        var row = new float[10];
        for (int r = 0; r < Rows; r++)
        {
            frozen.Predict(expected[0].AsSpan(r * 64, 64), row);
            Assert.Equal(Bits(y.AsSpan(r * 10, 10)), Bits(row));
        }
    }

    /// <summary>
    /// Both runtimes fold batch norm into the Dense before it in double, but the layer chain rounded the folded
    /// scale and shift to float before multiplying the weights by them (two roundings), where the graph's pass keeps
    /// them in double and rounds each folded weight once. The weights differ by at most an ulp, the outputs by a
    /// few: equal to 1e-6 of each row's largest output, not bitwise.
    /// </summary>
    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length / 10; r++)
        {
            var e = expected.Slice(r * 10, 10);
            float largest = 0;
            foreach (float v in e) largest = Math.Max(largest, Math.Abs(v));
            for (int j = 0; j < 10; j++)
                Assert.True(Math.Abs(actual[r * 10 + j] - e[j]) <= 1e-6f * largest,
                    FormattableString.Invariant($"row {r} output {j}: {actual[r * 10 + j]:R}, the layer chain gave {e[j]:R}"));
        }
    }

    [Fact]
    public void SavingTheLoadedModelWritesVersionTwoThatPredictsTheSame()
    {
        var expected = Expected();
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "digits-v2.model");
        using (var model = Model.Load(ModelPath)) model.Save(path);

        var container = ModelContainer.Load(path);
        Assert.Equal(Model.FormatName, container.GetString("model.format"));
        Assert.Equal(Model.FormatVersion, container.GetInt64("model.version"));
        Assert.DoesNotContain(container.Names, n => n.StartsWith("layer.", StringComparison.Ordinal));
        Assert.Equal(5, container.GetInt64("graph.nodes"));
        Assert.Equal("relu", container.GetString("node.2.attr.activation"));

        using var reloaded = Model.Load(path);
        var y = new float[Rows * 10];
        reloaded.Predict(expected[0], y);
        Assert.Equal(Bits(expected[1]), Bits(y));
        using var frozen = InferenceModel.Load(path);
        var frozenOutputs = new float[Rows * 10];
        frozen.Predict(expected[0], Rows, frozenOutputs);
        using var fromFixture = InferenceModel.Load(ModelPath);
        fromFixture.Predict(expected[0], Rows, y);
        Assert.Equal(Bits(y), Bits(frozenOutputs));
    }

    [Fact]
    public void PredictReadsTheFixtureAndGivesTheClassesOfItsScaledRows()
    {
        using var run = new CliRun();
        string[] raw = [.. ReadDigitsRows(40)];
        string input = run.PathOf("rows.csv");
        File.WriteAllLines(input, raw);

        var (code, output, error) = CliRun.Run("predict", "--model", ModelPath, "--input", input);

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Equal(ExpectedClasses(raw), CliRun.Lines(output).Select(int.Parse));
    }

    [Fact]
    public void EvaluateReadsTheFixtureOnItsRecordedTestSplit()
    {
        var (code, output, error) = CliRun.Run("evaluate", "--model", ModelPath);

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Contains("data: digits (test), 359 samples", output);
        // 0.8607 (a briefly trained model); another SIMD width sums in another order and could flip a sample.
        double accuracy = double.Parse(CliRun.Last(output, "accuracy"), CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.85, 0.87);
    }

    /// <summary>The classes the fixture gives the rows, scaled as its <c>data.scaling.*</c> entries say, without the command line.</summary>
    private static int[] ExpectedClasses(string[] rows)
    {
        var container = ModelContainer.Load(ModelPath);
        Assert.Equal("standardize", container.GetString("data.scaling"));
        float[] offset = container.GetTensor("data.scaling.offset", out _), scale = container.GetTensor("data.scaling.scale", out _);
        using var model = Model.Load(ModelPath);
        var x = new float[64];
        return [.. rows.Select(line =>
        {
            string[] cells = line.Split(',');
            for (int j = 0; j < 64; j++) x[j] = (float.Parse(cells[j], CultureInfo.InvariantCulture) - offset[j]) * scale[j];
            return model.PredictClass(x);
        })];
    }

    /// <summary>The first rows of the shipped digits data as CSV lines: 64 pixel values and the label.</summary>
    private static IEnumerable<string> ReadDigitsRows(int count)
    {
        var digits = DatasetRegistry.Get("digits").Load();
        var c = CultureInfo.InvariantCulture;
        for (int r = 0; r < count; r++)
            yield return string.Join(",", digits.Features.AsSpan(r * 64, 64).ToArray().Select(v => v.ToString(c))) + "," + digits.Labels![r].ToString(c);
    }
}
