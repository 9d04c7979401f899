using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Simd.Runtime.Tests.Packaging;

/// <summary>What <c>dotnet pack</c> puts in the packages: the metadata, readme, licence and symbols a NuGet user expects.</summary>
[Trait("Category", "Package")]
[Collection(PackagesCollection.Name)]
public sealed class PackageContentsTests(PackedPackages packages)
{
    [Fact]
    public void TheSolutionPacksTheTwoLibrariesAndNothingElse()
    {
        string[] expected = PackedPackages.Packages
            .SelectMany(p => (string[])[$"{p.Id}.{packages.Version}.nupkg", $"{p.Id}.{packages.Version}.snupkg"])
            .Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, Directory.GetFiles(packages.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Simd.Runtime.Intrinsics", "Runtime.Intrinsics")]
    [InlineData("Simd.Runtime", "Runtime")]
    public void EachPackageHasItsDescriptionReadmeLicenceAndSymbols(string id, string folder)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PackagePath(id));
        XElement metadata = Nuspec(package, id);
        XNamespace ns = metadata.Name.Namespace;

        Assert.Equal(id, metadata.Element(ns + "id")?.Value);
        Assert.Equal(packages.Version, metadata.Element(ns + "version")?.Value);
        Assert.Equal("The Simd authors", metadata.Element(ns + "authors")?.Value);
        Assert.True(metadata.Element(ns + "description")?.Value.Length > 100, $"{id} has no real description");
        Assert.Contains("simd", metadata.Element(ns + "tags")?.Value.Split(' ') ?? []);
        XElement? license = metadata.Element(ns + "license");
        Assert.Equal(("expression", "MIT"), (license?.Attribute("type")?.Value, license?.Value));
        Assert.Contains("2026 The Simd authors", metadata.Element(ns + "copyright")?.Value);

        // The package readme is the project folder's README.md, whole.
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.Equal(File.ReadAllText(Path.Combine(packages.RepositoryRoot, folder, "README.md")), Text(package, "README.md"));

        using ZipArchive symbols = ZipFile.OpenRead(packages.PackagePath(id, "snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
    }

    [Fact]
    public void SimdRuntimeDependsOnTheIntrinsicsPackageOfTheSameVersion()
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PackagePath("Simd.Runtime"));
        XElement metadata = Nuspec(package, "Simd.Runtime");

        XElement? intrinsics = metadata.Descendants(metadata.Name.Namespace + "dependency")
            .SingleOrDefault(d => d.Attribute("id")?.Value == "Simd.Runtime.Intrinsics");
        Assert.Equal(packages.Version, intrinsics?.Attribute("version")?.Value);
    }

    [Fact]
    public void SimdRuntimeCarriesTheShippedDatasets()
    {
        using ZipArchive package = ZipFile.OpenRead(packages.PackagePath("Simd.Runtime"));
        var dll = new MemoryStream();
        using (Stream s = package.GetEntry("lib/net10.0/Simd.Runtime.dll")!.Open()) s.CopyTo(dll);
        dll.Position = 0;
        using var pe = new PEReader(dll);
        MetadataReader reader = pe.GetMetadataReader();

        string[] resources = reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToArray();

        string[] shipped = Directory.GetFiles(Path.Combine(packages.RepositoryRoot, "models", "datasets"))
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".csv.gz", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(4, shipped.Length);
        Assert.All(shipped, f => Assert.Contains("Simd.Runtime.Data.Datasets." + f, resources));
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        XElement root = XDocument.Parse(Text(package, id + ".nuspec")).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static string Text(ZipArchive package, string entry)
    {
        ZipArchiveEntry? e = package.GetEntry(entry);
        Assert.True(e is not null, $"the package has no {entry}");
        using var reader = new StreamReader(e.Open());
        return reader.ReadToEnd();
    }
}
