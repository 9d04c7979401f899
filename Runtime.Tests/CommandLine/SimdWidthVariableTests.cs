using System.Diagnostics;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// An unknown SIMD_WIDTH is read when the process starts, so it is tested in a child process: the app ends with
/// the accepted names on one error line and exit code 1, not a type-initializer failure.
/// </summary>
public class SimdWidthVariableTests
{
    [Fact]
    public async Task AnUnknownWidthIsACleanErrorNamingTheAcceptedOnes()
    {
        string app = Path.Combine(AppContext.BaseDirectory, "Simd.Models.dll");
        Assert.True(File.Exists(app), $"{app} is missing: the test project references the models project to get it");
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["exec", app, "train", "--data", "iris", "--epochs", "1"]) start.ArgumentList.Add(arg);
        start.Environment["SIMD_WIDTH"] = "avx2";

        using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<string> output = child.StandardOutput.ReadToEndAsync(timeout.Token), error = child.StandardError.ReadToEndAsync(timeout.Token);
        await child.WaitForExitAsync(timeout.Token);
        string stdout = await output, stderr = await error;

        Assert.Equal(1, child.ExitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: SIMD_WIDTH='avx2' is not a width; expected one of: scalar, v128, v256, v512", stderr);
        Assert.DoesNotContain("TypeInitialization", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
