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
            string first = $"onnx.load.{model}.first_ms", steady = $"onnx.load.{model}_ms";
            if (!writer.Wants(first) && !writer.Wants(steady)) continue;
            if (OnnxFirstAnswer.Find(model) is not string path)
            {
                string reason = $"no perf/compare/{model}.onnx above {AppContext.BaseDirectory} or the current directory";
                if (writer.Wants(first)) writer.Skip(first, Units.Milliseconds, reason);
                if (writer.Wants(steady)) writer.Skip(steady, Units.Milliseconds, reason);
                continue;
            }
            if (writer.Wants(first))
            {
                if (FirstLoads(path, out string? error) is double ms) writer.Add(first, ms, Units.Milliseconds);
                else writer.Skip(first, Units.Milliseconds, error!);
            }
            if (writer.Wants(steady))
            {
                var m = Measure.Run(() => OnnxFirstAnswer.Run(path), SteadyBudget, minRepetitions: 10);
                writer.Add(steady, m.MedianSeconds * 1e3, Units.Milliseconds);
            }
        }
    }

    /// <summary>The median first load over fresh processes of this program; null (and why) when one fails.</summary>
    private static double? FirstLoads(string path, out string? error)
    {
        var times = new List<double>();
        for (int i = 0; i < FirstLoadProcesses; i++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
            // Under `dotnet Simd.Perf.dll` the process is the host: the assembly comes first.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
                start.ArgumentList.Add(typeof(OnnxLoadFigures).Assembly.Location);
            start.ArgumentList.Add(OnnxFirstAnswer.Command);
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
