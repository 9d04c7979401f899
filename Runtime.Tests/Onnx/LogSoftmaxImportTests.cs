using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Softmax and LogSoftmax in both opset families: from 13 on one axis (default −1; an inner one as x − logsumexp);
/// before 13 the input flattened at the axis (default 1) into rows, which each sample's axes from there on
/// form; an axis on the batch refused.
/// </summary>
public sealed class LogSoftmaxImportTests
{
    private const int Rows = 4;

    private static float[] Input(int n) => KernelTestData.Uniform(Rows * n, 3, -4, 4);

    /// <summary>Relu → the op, so the op is a node of the graph (a final Softmax on features is left out).</summary>
    private static byte[] Graph(string opType, long opset, long[] sample, params Action<ProtoWriter>[] attributes)
    {
        long?[] shape = [null, .. sample.Select(d => (long?)d)];
        return Model([Node("Relu", ["x"], ["r"]), Node(opType, ["r"], ["y"], attributes)], [], [Value("x", shape)], [Value("y", shape)], opset: opset);
    }

    /// <summary>(Log-)softmax of relu(x) over runs of <paramref name="cols"/> values, in double.</summary>
    private static double[] Expected(float[] x, int cols, bool log)
    {
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += cols)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, Math.Max(0, x[start + c]));
            for (int c = 0; c < cols; c++) sum += Math.Exp(Math.Max(0, x[start + c]) - max);
            for (int c = 0; c < cols; c++)
            {
                double shifted = Math.Max(0, x[start + c]) - max;
                y[start + c] = log ? shifted - Math.Log(sum) : Math.Exp(shifted) / sum;
            }
        }
        return y;
    }

    private static void AssertRuns(byte[] bytes, int sampleLength, int cols, bool log)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        float[] x = Input(sampleLength);
        var y = new float[x.Length];
        model.Predict(x, y);
        double[] expected = Expected(x, cols, log);
        for (int i = 0; i < y.Length; i++) KernelTestData.Check(y[i], expected[i], 1e-5, 1e-6, () => $"output {i}");
    }

    [Theory]
    [InlineData("LogSoftmax", true)]
    [InlineData("Softmax", false)]
    public void FromOpset13OverOneAxis(string opType, bool log)
    {
        AssertRuns(Graph(opType, 13, [2, 3]), 6, 3, log);
        AssertRuns(Graph(opType, 13, [2, 3], IntAttribute("axis", 2)), 6, 3, log);
        // An axis followed by axes of size 1: its values are contiguous.
        AssertRuns(Graph(opType, 13, [3, 1, 1], IntAttribute("axis", 1)), 3, 3, log);
    }

    [Theory]
    [InlineData("LogSoftmax", true)]
    [InlineData("Softmax", false)]
    public void FromOpset13AlongAnInnerAxisAsXMinusLogSumExp(string opType, bool log)
    {
        using Model model = OnnxImporter.Import(Graph(opType, 13, [2, 3, 2], IntAttribute("axis", 2))).Model;
        Assert.Equal(["activation", "reduce", "binary", .. log ? Array.Empty<string>() : ["unary"]], model.Ops.Select(o => o.Kind));
        float[] x = Input(12);
        var y = new float[x.Length];
        model.Predict(x, y);
        // Along the middle axis of [2, 3, 2]: transposed to runs of 3, the reference, and back.
        var runs = new float[x.Length];
        for (int i = 0; i < x.Length; i++) runs[Moved(i)] = x[i];
        double[] expected = Expected(runs, 3, log);
        for (int i = 0; i < y.Length; i++) KernelTestData.Check(y[i], expected[Moved(i)], 1e-5, 1e-6, () => $"output {i}");
    }

    /// <summary>Where element i of [rows, 2, 3, 2] lies once axis 2 is the last: [rows, 2, 2, 3].</summary>
    private static int Moved(int i)
    {
        int c = i % 2, b = i / 2 % 3, a = i / 6 % 2, r = i / 12;
        return ((r * 2 + a) * 2 + c) * 3 + b;
    }

    [Theory]
    [InlineData("LogSoftmax", true)]
    [InlineData("Softmax", false)]
    public void BeforeOpset13FlattenedAtTheAxis(string opType, bool log)
    {
        // Default axis 1: each sample is one row.
        AssertRuns(Graph(opType, 11, [2, 3]), 6, 6, log);
        AssertRuns(Graph(opType, 11, [2, 3, 2], IntAttribute("axis", 2)), 12, 6, log);
        AssertRuns(Graph(opType, 11, [2, 3], IntAttribute("axis", -1)), 6, 3, log);
    }

    [Theory]
    [InlineData("LogSoftmax", 13)]
    [InlineData("Softmax", 11)]
    public void AnAxisOnTheBatchIsRefused(string opType, long opset) =>
        AssertRefused(Graph(opType, opset, [2, 3], IntAttribute("axis", 0)), opType,
            $"axis 0 of [N, 2, 3] is the batch N's; {opType} would normalise across samples, which the runtime's ops never do.");

    [Fact]
    public void AFinalLogSoftmaxStaysANode()
    {
        byte[] bytes = Model([Node("Gemm", ["x", "w"], ["h"]), Node("LogSoftmax", ["h"], ["y"])], [Tensor("w", [3, 2], new float[6])],
            [Value("x", [null, 3])], [Value("y", [null, 2])], opset: 13);
        OnnxImportResult result = OnnxImporter.Import(bytes);
        using Model model = result.Model;
        Assert.False(result.EndsWithSoftmax);
        Assert.Equal("LogSoftmax", model.Ops[^1].ToString());
    }

    private static void AssertRefused(byte[] bytes, string opType, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(opType, e.OpType);
        Assert.EndsWith(detail, e.Message);
    }
}
