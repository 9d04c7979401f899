using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Experiments;

/// <summary>The machine a report's timings came from: timings mean little without it.</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Describe() =>
    [
        ("CPU", CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString()),
        ("logical cores", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("SIMD", Isa.Describe()),
        ("OS", RuntimeInformation.OSDescription),
        (".NET", RuntimeInformation.FrameworkDescription),
    ];

    private static string? CpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is int colon and > 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
