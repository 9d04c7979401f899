using System.Diagnostics;
using System.Globalization;
using Simd.Runtime.Inference;

namespace Simd.Perf.Report;

/// <summary>
/// From an ONNX file on disk to the first answer: <see cref="InferenceModel.LoadOnnx"/> (reading the bytes, the
/// import and the freeze for batch 1 on one thread), and one <see cref="InferenceModel.Predict(ReadOnlySpan{float}, Span{float})"/>
/// of a sample of fixed pseudo-random values. What ONNX Runtime's session creation plus its first Run does.
/// </summary>
public static class OnnxFirstAnswer
{
    /// <summary>The command a child process runs for one first load: <c>Simd.Perf onnx-first-load &lt;model.onnx&gt;</c>.</summary>
    public const string Command = "onnx-first-load";

    /// <summary>Loads, freezes and predicts once; returns the prediction's first value (so that nothing is optimised away).</summary>
    public static float Run(string path)
    {
        using InferenceModel frozen = Load(path);
        var input = Sample(frozen.InputSize);
        var output = new float[frozen.OutputSize];
        frozen.Predict(input, output);
        return output[0];
    }

    /// <summary><c>onnx-first-load &lt;model.onnx&gt;</c>: prints the milliseconds of the process's first load as its last line.</summary>
    public static int RunCommand(string[] args)
    {
        if (args is not [string path] || !File.Exists(path))
        {
            Console.Error.WriteLine($"error: {Command} takes the path of an existing .onnx file; got '{string.Join(" ", args)}'");
            return 2;
        }
        long start = Stopwatch.GetTimestamp();
        float first = Run(path);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# first output {first}"));
        Console.WriteLine(ms.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Where the report looks for the Native AOT build of this probe, from the repository's root.</summary>
    public const string AheadOfTimeBinary = "perf/FirstAnswerAot/bin/aot/onnx-first-load";

    /// <summary>The command that publishes it there.</summary>
    public const string PublishAheadOfTime = "dotnet publish perf/FirstAnswerAot -c Release -r linux-x64 -o perf/FirstAnswerAot/bin/aot";

    /// <summary><c>perf/compare/&lt;model&gt;.onnx</c> above the program's folder or the current directory; null if neither has it.</summary>
    public static string? Find(string model) => Above(Path.Combine("perf", "compare", model + ".onnx"));

    /// <summary>The published Native AOT probe (<see cref="AheadOfTimeBinary"/>); null where it has not been published.</summary>
    public static string? FindAheadOfTime() => Above(AheadOfTimeBinary);

    private static string? Above(string relative)
    {
        foreach (string from in (string[])[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private static InferenceModel Load(string path) => InferenceModel.LoadOnnx(path, new InferenceOptions { MaxBatch = 1 });

    /// <summary>Fixed pseudo-random values in [0, 1), like scaled pixels: OrtCSharp's generator.</summary>
    private static float[] Sample(int length)
    {
        var x = new float[length];
        uint s = 12345;
        for (int i = 0; i < x.Length; i++)
        {
            s = s * 1103515245 + 12345;
            x[i] = (s >> 8) / 16777216f;
        }
        return x;
    }
}
