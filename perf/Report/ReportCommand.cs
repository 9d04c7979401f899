using System.Diagnostics;
using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Report;

/// <summary><c>report [--json path] [--filter prefix]</c>: runs every section and writes the figures.</summary>
public static class ReportCommand
{
    /// <summary>Where the JSON goes unless --json says otherwise: beside BenchmarkDotNet's output, which git ignores.</summary>
    public const string DefaultJsonPath = "BenchmarkDotNet.Artifacts/report.json";

    public const string Usage = "report [--json <path>] [--filter <figure-name-prefix>]";

    public static int Run(string[] args)
    {
        string jsonPath = DefaultJsonPath;
        string? filter = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json" when i + 1 < args.Length:
                    jsonPath = args[++i];
                    break;
                case "--filter" when i + 1 < args.Length:
                    filter = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; usage: {Usage}");
                    return 2;
            }
        }

        var writer = new ReportWriter(Console.Out, filter);
        var clock = Stopwatch.StartNew();
        MachineSection.Write(writer);
        foreach (var section in ReportSections.All())
        {
            if (!writer.WantsAnyUnder(section.Name)) continue;
            var started = clock.Elapsed;
            section.Run(writer);
            writer.Note($"section {section.Name}: {(clock.Elapsed - started).TotalSeconds:0.0} s");
        }
        writer.Note($"total {clock.Elapsed.TotalSeconds:0.0} s");

        writer.WriteJson(jsonPath, Machine(), clock.Elapsed);
        writer.Note($"wrote {Path.GetFullPath(jsonPath)}");
        return 0;
    }

    /// <summary>What the figures depend on besides the code: written into the JSON next to them.</summary>
    public static IReadOnlyDictionary<string, string> Machine() => new Dictionary<string, string>
    {
        ["isa"] = Isa.Describe(),
        ["cpu"] = CpuName(),
        ["caches"] = CacheTopology.Current.ToString(),
        ["gemm"] = Gemm.Describe(),
        ["logical_cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return RuntimeInformation.ProcessArchitecture.ToString();
        foreach (string line in File.ReadLines(cpuinfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and >= 0)
                return line[(colon + 1)..].Trim();
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
