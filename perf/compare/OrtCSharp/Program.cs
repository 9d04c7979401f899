// ONNX Runtime (NuGet Microsoft.ML.OnnxRuntime, CPU execution provider) called from C#: the same figures as
// ort_infer_mlp.mjs without Node's promise per call. Inputs and outputs are pre-bound OrtValues over pinned arrays,
// so a call allocates as little as ONNX Runtime lets it. Prints e.g.
//
//     ortcs.infer.mlp.b1.p50_us 24.1 us
//
// Usage: dotnet run -c Release --project perf/compare/OrtCSharp -- [model.onnx] [--calls 5000] [--seconds 2] [--threads 1,2]

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

string modelPath = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "mlp.onnx");
int calls = 5000;
double seconds = 2;
int[] threadCounts = [1, 2];
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--calls": calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).ToArray(); break;
        default: modelPath = args[i]; break;
    }
}
if (calls < 3000) throw new ArgumentException($"--calls must be at least 3000 for a meaningful p99; got {calls}");
if (!File.Exists(modelPath))
    throw new FileNotFoundException($"No model at {Path.GetFullPath(modelPath)}: export it first with " +
        "/usr/bin/python3 perf/compare/torch_infer_mlp.py --export perf/compare/mlp.onnx", modelPath);

Console.WriteLine($"# onnxruntime {OrtEnv.Instance().GetVersionString()} (C#) model {Path.GetFullPath(modelPath)}");
foreach (int threads in threadCounts) Measure(threads);

void Measure(int threads)
{
    using var options = new SessionOptions
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };
    using var session = new InferenceSession(modelPath, options);
    using var run = new RunOptions();
    string tag = threads == 1 ? "" : $".t{threads}";

    using (var call = new Call(session, run, 1))
    {
        for (int i = 0; i < Math.Max(200, calls / 10); i++) call.Run();
        var us = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call.Run();
            // Raw ticks: a TimeSpan would round to 0.1 µs.
            us[i] = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
        }
        Array.Sort(us);
        foreach (int q in (int[])[50, 90, 99]) Print($"ortcs.infer.mlp.b1{tag}.p{q}_us", Percentile(us, q), "us");
        Print($"ortcs.infer.mlp.b1{tag}.max_us", us[^1], "us");
    }

    using (var call = new Call(session, run, 256))
    {
        for (int i = 0; i < 20; i++) call.Run();
        long runs = 0;
        var clock = Stopwatch.StartNew();
        while (runs < 20 || clock.Elapsed.TotalSeconds < seconds)
        {
            call.Run();
            runs++;
        }
        Print($"ortcs.infer.mlp.b256{tag}.samples_per_s", runs * 256 / clock.Elapsed.TotalSeconds, "samples/s");
    }
}

static double Percentile(double[] sorted, int q) =>
    sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length / 100.0), 1, sorted.Length) - 1];

// Four significant digits, never in exponent form (the report's and the other scripts' format).
static void Print(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} {Math.Round(value, Math.Max(0, 3 - (int)Math.Floor(Math.Log10(Math.Abs(value) + 1e-300))))} {unit}"));

/// <summary>One batch size's input and output bound once; Run is the timed call.</summary>
sealed class Call : IDisposable
{
    const int Inputs = 784, Classes = 10;

    readonly InferenceSession _session;
    readonly RunOptions _run;
    readonly OrtValue[] _inputs, _outputs;
    static readonly string[] InputNames = ["input"], OutputNames = ["logits"];

    public Call(InferenceSession session, RunOptions run, int batch)
    {
        _session = session;
        _run = run;
        // Fixed pseudo-random values in [0, 1), like scaled pixels (the same generator as ort_infer_mlp.mjs).
        var x = new float[batch * Inputs];
        uint s = 12345;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * 1103515245 + 12345;
            x[i] = (s >> 8) / 16777216f;
        }
        _inputs = [OrtValue.CreateTensorValueFromMemory(x, [batch, Inputs])];
        _outputs = [OrtValue.CreateTensorValueFromMemory(new float[batch * Classes], [batch, Classes])];
    }

    public void Run() => _session.Run(_run, InputNames, _inputs, OutputNames, _outputs);

    public void Dispose()
    {
        _inputs[0].Dispose();
        _outputs[0].Dispose();
    }
}
