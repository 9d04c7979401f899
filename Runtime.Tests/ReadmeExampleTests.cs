using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Simd.Runtime.Tests.Packaging;
using Xunit.Abstractions;

namespace Simd.Runtime.Tests;

/// <summary>
/// The C# examples of README.md and of the package readmes as a user meets them: each block taken from the Markdown
/// file itself, pasted as the Program.cs of a new console project outside the repository that references the packed
/// packages from a local folder, then built and run there.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackagesCollection.Name)]
public sealed partial class ReadmeExampleTests(PackedPackages packages, ITestOutputHelper output)
{
    [Fact]
    public void ReadmeLibraryExampleBuildsAgainstThePackagesAndRunsOutsideTheRepository()
    {
        string run = BuildAndRun("README.md", "## Using it as a library", "Simd.Runtime");

        Assert.True(Accuracy(run) >= 0.95, $"test accuracy below 0.95:\n{run}");
        Assert.InRange(PredictedClass(run), 0, 9);
    }

    [Fact]
    public void SimdRuntimePackageReadmeExampleRuns()
    {
        string run = BuildAndRun("Runtime/README.md", "# Simd.Runtime", "Simd.Runtime");

        Assert.True(Accuracy(run) >= 0.9, $"test accuracy below 0.9:\n{run}");
        Assert.InRange(PredictedClass(run), 0, 2);
    }

    [Fact]
    public void IntrinsicsPackageReadmeExampleRunsAndPrintsWhatItsCommentSays()
    {
        string run = BuildAndRun("Runtime.Intrinsics/README.md", "# Simd.Runtime.Intrinsics", "Simd.Runtime.Intrinsics");

        Assert.Contains("width=", run);
        // The machine's culture may write the decimal point as a comma.
        Assert.Contains("7.5 0 16.5 0", run.Replace(',', '.'));
    }

    /// <summary>Builds the first ```csharp block of <paramref name="section"/> against <paramref name="package"/>; returns what it printed.</summary>
    private string BuildAndRun(string markdown, string section, string package)
    {
        var clock = Stopwatch.StartNew();
        string program = CSharpBlockOf(Path.Combine(packages.RepositoryRoot, markdown), section);
        using var dir = new TempDirectory();
        string relative = Path.GetRelativePath(packages.RepositoryRoot, dir.Path);
        Assert.True(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative),
            $"the example must build outside the repository, but {dir.Path} is inside {packages.RepositoryRoot}");
        string app = Path.Combine(dir.Path, "app");
        Directory.CreateDirectory(app);
        WriteConsoleProject(app, program, package);

        // Restores read the local feed and the machine's package cache only (no network), and extract into a
        // cache of their own, so that a package of this version from an earlier run is never reused.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(dir.Path, "packages") };
        output.WriteLine(DotNetCommand.Run(app, TimeSpan.FromMinutes(4), environment, "build", "-c", "Release", "--disable-build-servers"));
        string run = DotNetCommand.Run(app, TimeSpan.FromMinutes(2), environment, "run", "-c", "Release", "--no-build");
        output.WriteLine(run);
        output.WriteLine($"{markdown}: built and ran in {clock.Elapsed.TotalSeconds:F1} s");
        return run;
    }

    private static double Accuracy(string run)
    {
        Match line = AccuracyLine().Match(run);
        Assert.True(line.Success, $"the example printed no 'test accuracy: <value>' line:\n{run}");
        // The output follows the machine's culture; the README's own figure has a point.
        return double.Parse(line.Groups[1].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
    }

    private static int PredictedClass(string run)
    {
        Match line = LabelLine().Match(run);
        Assert.True(line.Success, $"the example printed no 'first test sample: predicted <class>' line:\n{run}");
        return int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The first ```csharp block after the heading <paramref name="section"/> of a Markdown file.</summary>
    private static string CSharpBlockOf(string markdown, string section)
    {
        string text = "\n" + File.ReadAllText(markdown).ReplaceLineEndings("\n");
        int heading = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
        Assert.True(heading >= 0, $"{markdown} has no '{section}' section");
        const string fence = "\n```csharp\n";
        int open = text.IndexOf(fence, heading, StringComparison.Ordinal);
        int next = text.IndexOf("\n## ", heading + 1, StringComparison.Ordinal);
        Assert.True(open >= 0 && (next < 0 || open < next), $"the '{section}' section of {markdown} has no ```csharp block");
        int close = text.IndexOf("\n```\n", open + fence.Length - 1, StringComparison.Ordinal);
        Assert.True(close >= 0, $"the ```csharp block of '{section}' in {markdown} is not closed");
        return text[(open + fence.Length)..(close + 1)];
    }

    /// <summary>
    /// What <c>dotnet new console</c> makes (warnings as errors besides, so that the example compiles cleanly), plus
    /// the package reference and a nuget.config naming where packages come from.
    /// </summary>
    private void WriteConsoleProject(string app, string program, string package)
    {
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="simd" value="{packages.Feed}" />
                <add key="machine-cache" value="{MachinePackageCache()}" />
              </packageSources>
              <!-- Simd.* from the feed alone: the machine's cache may hold an older build of the same version. -->
              <packageSourceMapping>
                <packageSource key="simd">
                  <package pattern="Simd.*" />
                </packageSource>
                <packageSource key="machine-cache">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
            </configuration>
            """);
        // Stop MSBuild's search for these files at the project, so that none above the temp folder joins in.
        foreach (string file in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
            File.WriteAllText(Path.Combine(app, file), "<Project />\n");
    }

    /// <summary>The machine's global package folder, where the restores of this repository put the dependencies.</summary>
    private static string MachinePackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [GeneratedRegex(@"^test accuracy: (\d[.,]\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AccuracyLine();

    [GeneratedRegex(@"^first test sample: predicted (\d+)\b", RegexOptions.Multiline)]
    private static partial Regex LabelLine();
}
