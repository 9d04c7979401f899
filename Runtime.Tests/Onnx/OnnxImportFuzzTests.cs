using System.Buffers.Binary;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Damaged bytes of a graph that uses every mapper: the import either succeeds with a model that runs, or fails
/// with an <see cref="OnnxFormatException"/> (unreadable bytes), an <see cref="OnnxImportException"/> (a graph it
/// cannot map) or the reader's NotSupportedException for data it does not load (external tensor data), never with
/// another exception.
/// </summary>
public class OnnxImportFuzzTests
{
    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    private static Action<ProtoWriter> Shape(string name, long[] values) => w =>
    {
        w.PackedInts(1, [values.Length]).Int(2, 7).String(8, name);
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        w.Bytes(9, raw);
    };

    /// <summary>
    /// Gemm → Relu → BatchNormalization → Dropout → MatMul → Add(bias) → Add(x, ·) → Identity → Gemm → Reshape →
    /// Softmax → Flatten → Concat(·, the residual) → Gemm → Softmax.
    /// </summary>
    private static byte[] EveryMapper() => Model(
        [
            Node("Gemm", ["x", "w1", "b1"], ["h"]),
            Node("Relu", ["h"], ["a"]),
            Node("BatchNormalization", ["a", "gamma", "beta", "mean", "var"], ["n"]),
            Node("Dropout", ["n", "ratio"], ["d"]),
            Node("MatMul", ["d", "w2"], ["m"]),
            Node("Add", ["m", "b2"], ["z"]),
            Node("Add", ["x", "z"], ["r"]),
            Node("Identity", ["r"], ["i"]),
            Node("Gemm", ["i", "w3"], ["g"], IntAttribute("transB", 1)),
            Node("Reshape", ["g", "shape"], ["rs"]),
            Node("Softmax", ["rs"], ["sm"]),
            Node("Flatten", ["sm"], ["f"]),
            Node("Concat", ["f", "i"], ["c"], IntAttribute("axis", 1)),
            Node("Gemm", ["c", "w4"], ["logits"]),
            Node("Softmax", ["logits"], ["p"]),
        ],
        [
            Tensor("w1", [4, 8], Values(32, 1)), Tensor("b1", [8], Values(8, 2)), Tensor("gamma", [8], Values(8, 3)),
            Tensor("beta", [8], Values(8, 4)), Tensor("mean", [8], Values(8, 5)), Tensor("var", [8], [.. Values(8, 6).Select(v => v + 2)]),
            Tensor("ratio", [], [0.1f]), Tensor("w2", [8, 4], Values(32, 7)), Tensor("b2", [1, 4], Values(4, 8)),
            Tensor("w3", [6, 4], Values(24, 9)), Shape("shape", [0, 2, 3]), Tensor("w4", [10, 3], Values(30, 10)),
        ],
        [Value("x", [null, 4])],
        [Value("p", [null, 3])]);

    [Fact]
    public void TheIntactGraphImportsEveryMapper()
    {
        OnnxImportResult result = OnnxImporter.Import(EveryMapper());
        Assert.True(result.EndsWithSoftmax);
        using Model model = result.Model;
        Assert.Equal(
            ["dense", "activation", "batchnorm", "dropout", "dense", "binary", "dense", "reshape", "softmax", "flatten", "concat", "dense"],
            model.Ops.Select(o => o.Kind));
    }

    [Fact]
    public void DamagedGraphsImportOrFailCleanly()
    {
        byte[] bytes = EveryMapper();
        for (int length = 0; length < bytes.Length; length += 7) Survives(bytes.AsSpan(0, length).ToArray());
        var random = new Random(2026);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] copy = (byte[])bytes.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            Survives(copy);
        }
    }

    private static void Survives(byte[] bytes)
    {
        OnnxImportResult result;
        try
        {
            result = OnnxImporter.Import(bytes);
        }
        catch (OnnxFormatException)
        {
            return;
        }
        catch (NotSupportedException)
        {
            return;
        }
        using Model model = result.Model;
        var outputs = new float[2 * model.OutputSize];
        model.Predict(new float[2 * model.InputSize], outputs);
    }
}
