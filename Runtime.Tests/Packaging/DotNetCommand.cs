using System.Diagnostics;
using System.Text;

namespace Simd.Runtime.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> command line as a user would, with a time limit, and fails the test with the command and
/// its whole output (the build log) when it does not exit 0.
/// </summary>
internal static class DotNetCommand
{
    /// <summary>The host running the tests when it is dotnet (the same SDK installation), else dotnet from PATH.</summary>
    private static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="directory"/>; returns its output.</summary>
    public static string Run(string directory, TimeSpan limit, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        // The test host runs under MSBuild's test target, whose MSBuild* variables would point a nested build at the
        // outer one's SDK and settings; a user's shell has none of them.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
            foreach ((string name, string value) in environment) start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string command = $"dotnet {string.Join(' ', arguments)} (in {directory})";
        // Waits for the exit and the end of both streams; callers pass --disable-build-servers to builds, so that no
        // compiler or MSBuild server outlives the command holding the streams open.
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
            process.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.Fail($"{command} did not finish within {limit.TotalSeconds:F0} s. Output:\n{Text(output)}");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"{command} exited with {process.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s. Output:\n{Text(output)}");
        return Text(output);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
