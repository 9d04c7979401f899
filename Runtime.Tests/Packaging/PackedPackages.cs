using System.Reflection;
using System.Text.RegularExpressions;

namespace Simd.Runtime.Tests.Packaging;

/// <summary>
/// The repository's packages, packed once from the libraries the test run built into a local folder feed under the
/// system temp folder: what a user gets from <c>dotnet pack</c>.
/// </summary>
public sealed partial class PackedPackages : IDisposable
{
    /// <summary>The package ids and the project folders they are packed from.</summary>
    public static readonly (string Id, string Folder)[] Packages = [("Simd.Runtime.Intrinsics", "Runtime.Intrinsics"), ("Simd.Runtime", "Runtime")];

    private readonly TempDirectory _feed = new();

    public PackedPackages()
    {
        RepositoryRoot = FindRepositoryRoot(AppContext.BaseDirectory);
        // The configuration this test assembly was built in: the libraries were built in the same one, so packing
        // them needs no second build.
        string configuration = typeof(PackedPackages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        try
        {
            // The whole solution, as README.md says: only the libraries may come out of it.
            DotNetCommand.Run(RepositoryRoot, TimeSpan.FromMinutes(3), null,
                "pack", Path.Combine(RepositoryRoot, "Simd.sln"), "-c", configuration, "--no-build", "--disable-build-servers", "-o", _feed.Path);
            string runtime = Directory.GetFiles(_feed.Path, "Simd.Runtime.*.nupkg")
                .Select(Path.GetFileName).OfType<string>()
                .Single(name => RuntimePackage().IsMatch(name));
            Version = RuntimePackage().Match(runtime).Groups[1].Value;
        }
        catch
        {
            // xUnit disposes only a fixture it could construct.
            _feed.Dispose();
            throw;
        }
    }

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Feed => _feed.Path;

    /// <summary>The version both packages carry.</summary>
    public string Version { get; }

    public string RepositoryRoot { get; }

    public string PackagePath(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public void Dispose() => _feed.Dispose();

    /// <summary>The folder holding Simd.sln at or above <paramref name="start"/> (the test output folder).</summary>
    private static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Simd.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No folder holding Simd.sln at or above {start}: the package tests pack the repository's libraries.");
    }

    // Simd.Runtime.<version>.nupkg, not Simd.Runtime.Intrinsics.<version>.nupkg: a version starts with a digit.
    [GeneratedRegex(@"^Simd\.Runtime\.(\d[^/]*)\.nupkg$")]
    private static partial Regex RuntimePackage();
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packages";
}
