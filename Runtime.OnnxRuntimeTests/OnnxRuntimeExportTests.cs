using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Simd.Runtime.Models;
using Simd.Runtime.Tests.Onnx;

namespace Simd.Runtime.OnnxRuntimeTests;

/// <summary>
/// Every exported network run by ONNX Runtime gives our outputs within |ours − ORT| ≤ 1e-5 + 1e-5·|ours| per
/// element (the two sum and approximate in other orders; a difference of a few units in the last place of float
/// after a dozen layers is within it), at a batch of 1 and of 7 through the one symbolic batch dimension.
/// </summary>
[Trait("Category", "OnnxRuntime")]
public sealed class OnnxRuntimeExportTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Networks => [.. ExportNetworks.Names];

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntimeGivesOurOutputs(string name)
    {
        using Model model = ExportNetworks.Create(name);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(stream.ToArray(), options);

        NodeMetadata input = session.InputMetadata.Single().Value, output = session.OutputMetadata.Single().Value;
        Assert.Equal([-1, ExportNetworks.InputFeatures], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal("batch", output.SymbolicDimensions[0]);

        foreach (int rows in (int[])[1, 7])
        {
            float[] x = ExportNetworks.Inputs(rows);
            var ours = new float[rows * model.OutputSize];
            model.Predict(x, ours);
            float[] theirs = Run(session, x, rows);
            Assert.Equal(ours.Length, theirs.Length);
            for (int i = 0; i < ours.Length; i++)
            {
                double error = Math.Abs(ours[i] - theirs[i]), allowed = Tolerance + Tolerance * Math.Abs(ours[i]);
                Assert.True(error <= allowed,
                    $"{name}, batch {rows}: output {i} (row {i / model.OutputSize}) is {ours[i]:R} here and {theirs[i]:R} in ONNX Runtime; |difference| {error:E2} > {allowed:E2}.");
            }
        }
    }

    /// <summary>Four inputs (x, h0, c0 and the lengths as Int32 sequence_lens) and two outputs, at batch 1 and 7.</summary>
    [Fact]
    public void OnnxRuntimeTakesLengthsAndStatesAsInputs()
    {
        using Model model = ExportSequenceWithLengths.Create();
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(stream.ToArray(), options);
        Assert.Equal(["x", "h0", "c0", "lengths"], session.InputMetadata.Keys);
        Assert.Equal(typeof(int), session.InputMetadata["lengths"].ElementType);
        foreach (int rows in (int[])[1, 7])
        {
            float[][] x = ExportSequenceWithLengths.Inputs(rows, shortest: 1);
            float[] logits = new float[rows * ExportSequenceWithLengths.Classes], state = new float[rows * ExportSequenceWithLengths.Hidden];
            model.Predict([x[0], x[1], x[2], x[3]], [logits, state]);
            NamedOnnxValue[] feeds =
            [
                NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x[0], [rows, ExportSequenceWithLengths.Steps, ExportSequenceWithLengths.Features])),
                NamedOnnxValue.CreateFromTensor("h0", new DenseTensor<float>(x[1], [rows, ExportSequenceWithLengths.Hidden])),
                NamedOnnxValue.CreateFromTensor("c0", new DenseTensor<float>(x[2], [rows, ExportSequenceWithLengths.Hidden])),
                NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(x[3].Select(v => (int)v).ToArray(), [rows])),
            ];
            using var results = session.Run(feeds);
            float[][] theirs = [.. results.Select(r => r.AsEnumerable<float>().ToArray())];
            foreach (var (ours, other, what) in new[] { (logits, theirs[0], "logits"), (state, theirs[1], "final state") })
            {
                Assert.Equal(ours.Length, other.Length);
                for (int i = 0; i < ours.Length; i++)
                    Assert.True(Math.Abs(ours[i] - other[i]) <= Tolerance + Tolerance * Math.Abs(ours[i]),
                        $"batch {rows}: {what} {i} is {ours[i]:R} here and {other[i]:R} in ONNX Runtime.");
            }
        }
    }

    private static float[] Run(InferenceSession session, float[] x, int rows)
    {
        var tensor = new DenseTensor<float>(x, [rows, x.Length / rows]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        return [.. results.Single().AsEnumerable<float>()];
    }
}
