using System.Diagnostics;

namespace Simd.Runtime.Tests.Experiments;

/// <summary>
/// Headless Chromium for the browser tests: a fresh profile per run, its console messages from the log on
/// standard error, screenshots and the DOM after the page's scripts ran.
/// </summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";
    public const int WindowWidth = 1100;

    public static bool Installed => File.Exists(Path);

    /// <summary>Why the browser tests cannot run here, or null when they can. In CI (CI set) a missing browser fails them instead.</summary>
    public static string? SkipReason =>
        Installed || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? null
            : $"Chromium is not installed at {Path} (apt-get install -y chromium); the report browser tests need it. With CI set they fail instead.";

    /// <summary>Loads <paramref name="page"/> and returns the console messages Chromium logged and what the action printed.</summary>
    public static (string Stdout, List<string> Console) Run(string page, int height, params string[] action)
    {
        Assert.True(Installed, $"Chromium is missing at {Path}; CI installs it (.ci/run), elsewhere: apt-get install -y chromium.");
        using var profile = new TempDirectory("simd-chromium-profile-");
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--user-data-dir={profile.Path}",
                     "--enable-logging=stderr", "--v=0", $"--window-size={WindowWidth},{height}",
                 }.Concat(action))
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add(new Uri(page).AbsoluteUri);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish loading {page} within 90 s.");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode} on {page}:\n{stderr.Result}");
        // Chromium logs every console message (errors, warnings, failed loads) as INFO:CONSOLE; a report has no
        // scripts, so any message at all is something wrong with the page.
        var console = stderr.Result.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        return (stdout.Result, console);
    }
}
