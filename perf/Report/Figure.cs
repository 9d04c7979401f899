namespace Simd.Perf.Report;

/// <summary>One report line: <c>name value unit</c>. A null value marks a figure that was skipped, with the reason.</summary>
public sealed record Figure(string Name, double? Value, string Unit, string? Skipped = null);

/// <summary>The units figures use, spelled the same everywhere so that tracking tools can group them.</summary>
public static class Units
{
    public const string Gflops = "GFLOPS";
    public const string Percent = "%";
    public const string Bytes = "bytes";
    public const string Milliseconds = "ms";
    public const string Microseconds = "us";
    public const string SamplesPerSecond = "samples/s";
    public const string GigabytesPerSecond = "GB/s";
}
