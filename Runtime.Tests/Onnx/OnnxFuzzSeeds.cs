using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The real models the ONNX fuzzer damages: PyTorch's exports of the reference networks (perf/compare/*.onnx, copied
/// to Onnx/Fixtures beside the test assembly), the graph that uses every mapper, and every few of the ONNX node
/// conformance cases' models (small graphs of one op each, with attributes of every kind).
/// </summary>
internal static class OnnxFuzzSeeds
{
    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Bytes, OnnxFuzzTree Tree)>> LazyAll = new(Load);

    public static IReadOnlyList<(string Name, byte[] Bytes, OnnxFuzzTree Tree)> All => LazyAll.Value;

    private static List<(string, byte[], OnnxFuzzTree)> Load()
    {
        var seeds = new List<(string, byte[])>();
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures");
        foreach (string model in (string[])["mlp", "lenet", "lstm", "gru", "rnn"])
        {
            string path = Path.Combine(fixtures, model + ".onnx");
            if (!File.Exists(path)) throw new FileNotFoundException($"The fuzzer's seed {path} is missing; the build copies perf/compare/{model}.onnx there.");
            seeds.Add((model + ".onnx", File.ReadAllBytes(path)));
        }
        seeds.Add(("every-mapper", OnnxImportFuzzTests.EveryMapper()));
        string[] cases = [.. Directory.GetDirectories(ConformanceData.OnnxNode).Order(StringComparer.Ordinal)];
        for (int i = 0; i < cases.Length; i += 8)
        {
            string path = Path.Combine(cases[i], "model.onnx");
            if (File.Exists(path)) seeds.Add((Path.GetFileName(cases[i]), File.ReadAllBytes(path)));
        }
        return [.. seeds.Select(s => (s.Item1, s.Item2, OnnxFuzzTree.Parse(s.Item2)))];
    }
}
