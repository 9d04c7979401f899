using System.Buffers.Binary;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Damaged ONNX bytes (<see cref="OnnxFuzzSeeds"/>: real models and a graph that uses every mapper): reading either
/// succeeds or fails with an <see cref="OnnxFormatException"/>, allocating at most a small multiple of the file's
/// size; importing what was read either gives a model that freezes and predicts or fails with an
/// <see cref="OnnxFormatException"/> / <see cref="OnnxImportException"/>; never another exception, a hang or a
/// stack overflow (<see cref="OnnxFuzzCase"/>). Each kind of damage runs a few hundred seeded cases over the seeds in
/// turn (a few seconds in all); set FUZZ_ITERATIONS (and FUZZ_SEED) to run as many as wanted:
/// <c>FUZZ_ITERATIONS=200000 dotnet test Runtime.Tests -c Release --filter FullyQualifiedName~OnnxImportFuzzTests</c>
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
    internal static byte[] EveryMapper() => Model(
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
    public void TruncatedModelsFailCleanly()
    {
        byte[] bytes = EveryMapper();
        for (int length = 0; length < bytes.Length; length++) OnnxFuzzCase.Check(bytes[..length], $"every-mapper truncated to {length} bytes");
        Fuzz(OnnxFuzzCase.Seed, (seed, rng) => (OnnxFuzzMutator.Truncate(seed.Bytes, rng, out string what), what));
    }

    [Fact]
    public void BitFlipsFailCleanly() =>
        Fuzz(OnnxFuzzCase.Seed + 1, (seed, rng) => (OnnxFuzzMutator.FlipBits(seed.Bytes, rng, out string what), what));

    /// <summary>
    /// Length prefixes of strings, bytes and sub-messages that claim more than the bytes left. Nearly all are
    /// unreadable; a lie inside bytes the reader keeps whole (raw_data that happened to parse as a message, a
    /// skipped field) leaves the file readable.
    /// </summary>
    [Fact]
    public void InflatedLengthsFailCleanly()
    {
        var outcomes = Fuzz(OnnxFuzzCase.Seed + 2, (seed, rng) => (OnnxFuzzMutator.InflateLength(seed.Tree, rng, out string what), what));
        Assert.InRange(outcomes[OnnxFuzzCase.Outcome.Unreadable], OnnxFuzzCase.Iterations * 9 / 10, OnnxFuzzCase.Iterations);
    }

    /// <summary>Dims, element counts, types and other varints grown to huge values inside consistent framing.</summary>
    [Fact]
    public void InflatedValuesFailCleanly() =>
        Fuzz(OnnxFuzzCase.Seed + 3, (seed, rng) => (OnnxFuzzMutator.InflateValue(seed.Tree, rng, out string what), what));

    /// <summary>Fields repeated with the same or another value (two data_types, raw_data twice, two graphs), or dropped.</summary>
    [Fact]
    public void DuplicatedAndContradictoryFieldsFailCleanly() =>
        Fuzz(OnnxFuzzCase.Seed + 4, (seed, rng) => (OnnxFuzzMutator.DuplicateOrDrop(seed.Tree, rng, out string what), what));

    [Fact]
    public void SeveralDamagesAtOnceFailCleanly() =>
        Fuzz(OnnxFuzzCase.Seed + 5, (seed, rng) => (OnnxFuzzMutator.Several(seed.Tree, rng, out string what), what));

    /// <summary>Every seed reads and imports intact (a seed that did not would test nothing past its first error).</summary>
    [Fact]
    public void TheSeedsImport()
    {
        foreach (var seed in OnnxFuzzSeeds.All.Take(6))
            Assert.Equal(OnnxFuzzCase.Outcome.Imported, OnnxFuzzCase.Check(seed.Bytes, seed.Name));
    }

    /// <summary>Cases over the seeds in turn; the outcome counts, so that a test can check the mutator reached what it meant to.</summary>
    private static Dictionary<OnnxFuzzCase.Outcome, int> Fuzz(int seedValue, Func<(string Name, byte[] Bytes, OnnxFuzzTree Tree), Random, (byte[] Bytes, string What)> mutate)
    {
        var rng = new Random(seedValue);
        var outcomes = Enum.GetValues<OnnxFuzzCase.Outcome>().ToDictionary(o => o, _ => 0);
        var seeds = OnnxFuzzSeeds.All;
        for (int i = 0; i < OnnxFuzzCase.Iterations; i++)
        {
            var seed = seeds[i % seeds.Count];
            var (bytes, what) = mutate(seed, rng);
            outcomes[OnnxFuzzCase.Check(bytes, $"{seed.Name}, case {i} (FUZZ_SEED={OnnxFuzzCase.Seed}): {what}")]++;
        }
        return outcomes;
    }

    [Fact]
    public void DamagedGraphsImportOrFailCleanly()
    {
        byte[] bytes = EveryMapper();
        var random = new Random(2026);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] copy = (byte[])bytes.Clone();
            var what = new List<string>();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = random.Next(copy.Length);
                copy[at] = (byte)random.Next(256);
                what.Add($"byte {at} = {copy[at]}");
            }
            OnnxFuzzCase.Check(copy, $"every-mapper with {string.Join(", ", what)}");
        }
    }
}
