// ONNX Runtime (NuGet Microsoft.ML.OnnxRuntime, CPU execution provider) called from C#: the same figures as
// torch_infer.py and ort_infer_mlp.mjs, without Node's promise per call. Inputs and outputs are pre-bound OrtValues
// over pinned arrays, shaped from the model's own input and output (the batch axis set per call), so a call
// allocates as little as ONNX Runtime lets it. Prints e.g.
//
//     ortcs.infer.mlp.b1.p50_us 24.1 us
//
// First, the time from the file on disk to the first answer (InferenceSession creation from the path, with the
// options below, and one Run of one sample), as `perf -- report`'s onnx.load.* figures: ortcs.onnx.load.<model>_ms the
// median of repeated loads once warm, ortcs.onnx.load.<model>.first_ms the very first load in a fresh process (the
// native library's loading and ONNX Runtime's environment included), the median of 5 child processes.
//
// Usage: dotnet run -c Release --project perf/compare/OrtCSharp -- [--model mlp|lenet|resnet|lstm|gru|rnn] [model.onnx]
//            [--calls 5000] [--seconds 2] [--threads 1,2] [--load-only]
// --model names the figures and picks perf/compare/<model>.onnx unless a path is given; --load-only prints only the
// load figures. (`--first-load <model.onnx>` is what the child processes run: one load, its milliseconds printed.)

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

const string Usage = "usage: ort-infer [--model mlp|lenet|resnet|lstm|gru|rnn] [model.onnx] [--calls N] [--seconds S] [--threads 1,2] [--load-only]";
const int FirstLoadProcesses = 5;
if (args is ["--first-load", string firstPath])
{
    // Nothing of ONNX Runtime has run in this process yet: the clock starts before its first use.
    long started = Stopwatch.GetTimestamp();
    FirstAnswer(firstPath);
    Console.WriteLine(Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture));
    return 0;
}
string[] modelNames = ["mlp", "lenet", "resnet", "lstm", "gru", "rnn"];
string modelName = "mlp";
string? modelPath = null;
int calls = 5000;
double seconds = 2;
int[] threadCounts = [1, 2];
bool loadOnly = false;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--model" when value is not null && modelNames.Contains(value): modelName = value; i++; break;
        case "--calls" when int.TryParse(value, CultureInfo.InvariantCulture, out int c) && c >= 3000: calls = c; i++; break;
        case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out double s) && s > 0: seconds = s; i++; break;
        case "--threads" when ThreadList(value) is int[] t: threadCounts = t; i++; break;
        case "--load-only": loadOnly = true; break;
        case "--model":
            return Fail($"--model takes one of {string.Join(", ", modelNames)}; got '{value}'");
        case "--calls":
            return Fail($"--calls takes a whole number of at least 3000 (fewer give no meaningful p99); got '{value}'");
        case "--seconds":
            return Fail($"--seconds takes a positive number; got '{value}'");
        case "--threads":
            return Fail($"--threads takes thread counts from 1, separated by commas (1,2); got '{value}'");
        case var path when !path.StartsWith("--", StringComparison.Ordinal) && modelPath is null: modelPath = path; break;
        default:
            return Fail($"unknown argument '{args[i]}'");
    }
}
modelPath ??= Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", $"{modelName}.onnx");
if (!File.Exists(modelPath))
{
    string export = modelName == "mlp"
        ? "python3 perf/compare/write_mlp_onnx.py (or /usr/bin/python3 perf/compare/torch_infer.py --export perf/compare/mlp.onnx)"
        : $"/usr/bin/python3 perf/compare/torch_infer.py --model {modelName} --export perf/compare/{modelName}.onnx";
    Console.Error.WriteLine($"error: no model at {Path.GetFullPath(modelPath)}: write it first with {export}");
    return 2;
}

Console.WriteLine($"# onnxruntime {OrtEnv.Instance().GetVersionString()} (C#) model {modelName} {Path.GetFullPath(modelPath)}");
MeasureLoad();
if (!loadOnly)
    foreach (int threads in threadCounts) Measure(threads);
return 0;

void MeasureLoad()
{
    var first = new List<double>();
    for (int i = 0; i < FirstLoadProcesses; i++)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Call).Assembly.Location);
        start.ArgumentList.Add("--first-load");
        start.ArgumentList.Add(Path.GetFullPath(modelPath));
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd(), errors = child.StandardError.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0 || !double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms))
        {
            Console.WriteLine($"# ortcs.onnx.load.{modelName}.first_ms skipped: the child process failed (exit code {child.ExitCode}): {errors.Trim()}");
            first.Clear();
            break;
        }
        first.Add(ms);
    }
    if (first.Count > 0)
    {
        first.Sort();
        Print($"ortcs.onnx.load.{modelName}.first_ms", first[first.Count / 2], "ms");
    }

    // Warm: a few loads first, then the median of at least 10 loads over 1.5 s, as the report's.
    for (int i = 0; i < 3; i++) FirstAnswer(modelPath);
    var times = new List<double>();
    var clock = Stopwatch.StartNew();
    while (times.Count < 10 || clock.Elapsed.TotalSeconds < 1.5)
    {
        long start = Stopwatch.GetTimestamp();
        FirstAnswer(modelPath);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    times.Sort();
    Print($"ortcs.onnx.load.{modelName}_ms", Percentile([.. times], 50), "ms");
}

// A session from the file with the timed sessions' options (one intra-op thread), then one Run of one sample.
static float FirstAnswer(string path)
{
    using var options = Options(1);
    using var session = new InferenceSession(path, options);
    using var run = new RunOptions();
    using var call = new Call(session, run, 1);
    call.Run();
    return call.FirstOutput;
}

static SessionOptions Options(int threads) => new()
{
    IntraOpNumThreads = threads,
    InterOpNumThreads = 1,
    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
};

void Measure(int threads)
{
    using var options = Options(threads);
    using var session = new InferenceSession(modelPath, options);
    using var run = new RunOptions();
    string name = $"ortcs.infer.{modelName}";
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
        foreach (int q in (int[])[50, 90, 99]) Print($"{name}.b1{tag}.p{q}_us", Percentile(us, q), "us");
        Print($"{name}.b1{tag}.max_us", us[^1], "us");
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
        Print($"{name}.b256{tag}.samples_per_s", runs * 256 / clock.Elapsed.TotalSeconds, "samples/s");
    }
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}; {Usage}");
    return 2;
}

static int[]? ThreadList(string? value)
{
    if (value is null) return null;
    var counts = new List<int>();
    foreach (string part in value.Split(','))
    {
        if (!int.TryParse(part, CultureInfo.InvariantCulture, out int t) || t < 1) return null;
        counts.Add(t);
    }
    return [.. counts];
}

static double Percentile(double[] sorted, int q) =>
    sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length / 100.0), 1, sorted.Length) - 1];

// Four significant digits, never in exponent form (the report's and the other scripts' format).
static void Print(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} {Math.Round(value, Math.Max(0, 3 - (int)Math.Floor(Math.Log10(Math.Abs(value) + 1e-300))))} {unit}"));

/// <summary>One batch size's input and output, shaped from the model's first input and output, bound once; Run is the timed call.</summary>
sealed class Call : IDisposable
{
    readonly InferenceSession _session;
    readonly RunOptions _run;
    readonly OrtValue[] _inputs, _outputs;
    readonly string[] _inputNames, _outputNames;
    readonly float[] _y;

    public Call(InferenceSession session, RunOptions run, int batch)
    {
        _session = session;
        _run = run;
        var (inputName, input) = session.InputMetadata.First();
        var (outputName, output) = session.OutputMetadata.First();
        _inputNames = [inputName];
        _outputNames = [outputName];
        long[] inputShape = WithBatch(input.Dimensions, batch), outputShape = WithBatch(output.Dimensions, batch);
        // Fixed pseudo-random values in [0, 1), like scaled pixels (the same generator as ort_infer_mlp.mjs).
        var x = new float[inputShape.Aggregate(1L, (a, d) => a * d)];
        uint s = 12345;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * 1103515245 + 12345;
            x[i] = (s >> 8) / 16777216f;
        }
        _inputs = [OrtValue.CreateTensorValueFromMemory(x, inputShape)];
        _y = new float[outputShape.Aggregate(1L, (a, d) => a * d)];
        _outputs = [OrtValue.CreateTensorValueFromMemory(_y, outputShape)];
    }

    /// <summary>The model's dimensions with its dynamic batch axis (the first, -1 in the metadata) set.</summary>
    static long[] WithBatch(int[] dimensions, int batch) =>
        [.. dimensions.Select((d, i) => i == 0 && d < 0 ? batch : (long)d)];

    public void Run() => _session.Run(_run, _inputNames, _inputs, _outputNames, _outputs);

    public float FirstOutput => _y[0];

    public void Dispose()
    {
        _inputs[0].Dispose();
        _outputs[0].Dispose();
    }
}
