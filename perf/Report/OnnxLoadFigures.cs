using System.Diagnostics;
using System.Globalization;
using Simd.Perf.Timing;

namespace Simd.Perf.Report;

/// <summary>
/// <c>onnx.load.{mlp,lenet}_ms</c> and <c>.first_ms</c>: the time from an ONNX file on disk to the first prediction
/// of one sample (<see cref="OnnxFirstAnswer"/>: read the bytes, import, freeze, one Predict). <c>_ms</c> is the
/// median of repeated loads in this process once the JIT has settled: what every load after the first costs.
/// <c>.first_ms</c> is the very first load in a fresh process (JIT and type loading included), the median of
/// <see cref="FirstLoadProcesses"/> child processes (<c>Simd.Perf onnx-first-load</c>), so that it does not depend on
/// which sections ran before. The files are the committed <c>perf/compare/mlp.onnx</c> and <c>lenet.onnx</c>, the
/// same that perf/compare/OrtCSharp times ONNX Runtime on (<c>ortcs.onnx.load.*</c>). About 15 s in all.
/// <c>.first_aot_ms</c> is that first load in a process compiled ahead of time (perf/FirstAnswerAot published with
/// Native AOT, as a service that wants its first answer fast is published): no JIT, only the work and the first
/// touch of its memory. Skipped, naming the publish command, where that binary has not been published.
/// </summary>
public sealed class OnnxLoadFigures : IReportSection
{
    public const int FirstLoadProcesses = 5;

    private static readonly TimeSpan SteadyBudget = TimeSpan.FromSeconds(1.5);

    public string Name => "onnx";

    public void Run(ReportWriter writer)
    {
        foreach (string model in (string[])["mlp", "lenet"])
        {
            string first = $"onnx.load.{model}.first_ms", steady = $"onnx.load.{model}_ms", aot = $"onnx.load.{model}.first_aot_ms";
            if (!writer.Wants(first) && !writer.Wants(steady) && !writer.Wants(aot)) continue;
            if (OnnxFirstAnswer.Find(model) is not string path)
            {
                string reason = $"no perf/compare/{model}.onnx above {AppContext.BaseDirectory} or the current directory";
                if (writer.Wants(first)) writer.Skip(first, Units.Milliseconds, reason);
                if (writer.Wants(steady)) writer.Skip(steady, Units.Milliseconds, reason);
                if (writer.Wants(aot)) writer.Skip(aot, Units.Milliseconds, reason);
                continue;
            }
            if (writer.Wants(first))
            {
                if (FirstLoads(OwnCommand(), path, out string? error) is double ms) writer.Add(first, ms, Units.Milliseconds);
                else writer.Skip(first, Units.Milliseconds, error!);
            }
            if (writer.Wants(aot))
            {
                if (OnnxFirstAnswer.FindAheadOfTime() is not string probe)
                    writer.Skip(aot, Units.Milliseconds, $"no Native AOT build of perf/FirstAnswerAot; publish it with `{OnnxFirstAnswer.PublishAheadOfTime}`");
                else if (FirstLoads([probe], path, out string? error) is double ms) writer.Add(aot, ms, Units.Milliseconds);
                else writer.Skip(aot, Units.Milliseconds, error!);
            }
            if (writer.Wants(steady))
            {
                var m = Measure.Run(() => OnnxFirstAnswer.Run(path), SteadyBudget, minRepetitions: 10);
                writer.Add(steady, m.MedianSeconds * 1e3, Units.Milliseconds);
            }
        }
    }

    /// <summary>This program and the arguments that make it run one first load: <c>Simd.Perf onnx-first-load</c>.</summary>
    /// <remarks>Under <c>dotnet Simd.Perf.dll</c> the process is the host: the assembly comes first.</remarks>
    private static string[] OwnCommand() => Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet"
        ? [Environment.ProcessPath!, typeof(OnnxLoadFigures).Assembly.Location, OnnxFirstAnswer.Command]
        : [Environment.ProcessPath!, OnnxFirstAnswer.Command];

    /// <summary>The median first load over fresh processes of <paramref name="command"/> (program, then arguments, then the file); null (and why) when one fails.</summary>
    private static double? FirstLoads(string[] command, string path, out string? error)
    {
        var times = new List<double>();
        for (int i = 0; i < FirstLoadProcesses; i++)
        {
            var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd(), errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            if (process.ExitCode != 0 || !double.TryParse(last, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms))
            {
                error = $"the child process failed (exit code {process.ExitCode}): {errors.Trim()}";
                return null;
            }
            times.Add(ms);
        }
        times.Sort();
        error = null;
        return times[times.Count / 2];
    }
}
