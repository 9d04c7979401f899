using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.OnnxRuntimeTests;

/// <summary>
/// The nine reductions, log-softmax, PReLU and CELU exported and run by ONNX Runtime give our outputs within
/// 1e-5 + 1e-5·|ours|, at opset 17 (ReduceSum's axes an input, the others' an attribute) and at opset 18 (a Mish
/// raises it: every reduction's axes an input).
/// </summary>
[Trait("Category", "OnnxRuntime")]
public sealed class ReductionsOnnxRuntimeTests
{
    private const double Tolerance = 1e-5;

    private static Model Network(bool mish)
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(12));
        Value h = g.Reshape(g.Dense(x, 24, mish ? ActivationKind.Mish : ActivationKind.Tanh), 2, 3, 4);
        h = g.Single(new CeluOp(0.7f), g.Single(new PReluOp(new TensorShape(2, 1, 1)), h));
        var parts = new List<Value>();
        foreach (ReduceFunction f in Enum.GetValues<ReduceFunction>())
            parts.Add(g.Flatten(g.Reduce(f, h, f == ReduceFunction.Prod ? [2] : [0, -1], keepDims: f == ReduceFunction.Max)));
        g.Output(g.LogSoftmax(g.Dense(g.Concat(-1, [.. parts]), 5)));
        Model model = g.Build(seed: 3, maxBatch: 8);
        model.Ops.OfType<PReluOp>().Single().Slope.CopyTo([0.1f, -0.3f]);
        return model;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnnxRuntimeGivesOurOutputs(bool mish)
    {
        using Model model = Network(mish);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(stream.ToArray(), options);
        foreach (int rows in (int[])[1, 7])
        {
            float[] x = [.. Enumerable.Range(0, rows * 12).Select(i => MathF.Sin(i * 0.37f))];
            var ours = new float[rows * model.OutputSize];
            model.Predict(x, ours);
            var tensor = new DenseTensor<float>(x, [rows, 12]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
            float[] theirs = [.. results.Single().AsEnumerable<float>()];
            Assert.Equal(ours.Length, theirs.Length);
            for (int i = 0; i < ours.Length; i++)
                Assert.True(Math.Abs(ours[i] - theirs[i]) <= Tolerance + Tolerance * Math.Abs(ours[i]),
                    $"batch {rows}: output {i} is {ours[i]:R} here and {theirs[i]:R} in ONNX Runtime.");
        }
    }
}
