using System.Diagnostics;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// SIMD_GEMM_BLOCKING is read when the process starts, like SIMD_WIDTH, so it is tested in a child process: a bad
/// value ends the app with one error line naming the variable, the value and what is expected; a good one runs.
/// </summary>
public class GemmBlockingVariableTests
{
    static async Task<(int Code, string Out, string Error)> Train(string blocking)
    {
        string app = Path.Combine(AppContext.BaseDirectory, "Simd.Models.dll");
        Assert.True(File.Exists(app), $"{app} is missing: the test project references the models project to get it");
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["exec", app, "train", "--data", "iris", "--epochs", "1"]) start.ArgumentList.Add(arg);
        start.Environment["SIMD_GEMM_BLOCKING"] = blocking;

        using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<string> output = child.StandardOutput.ReadToEndAsync(timeout.Token), error = child.StandardError.ReadToEndAsync(timeout.Token);
        await child.WaitForExitAsync(timeout.Token);
        return (child.ExitCode, await output, await error);
    }

    [Fact]
    public async Task ABadValueIsACleanErrorInTheVariablesTerms()
    {
        var (code, stdout, stderr) = await Train("144,0,4064");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: SIMD_GEMM_BLOCKING='144,0,4064': KC '0' is not a whole number from 1 to 65536; expected MC,KC,NC", stderr);
        Assert.DoesNotContain("TypeInitialization", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AGoodValueTrains()
    {
        var (code, _, stderr) = await Train("24,40,64");
        Assert.True(code == 0, stderr);
    }
}
