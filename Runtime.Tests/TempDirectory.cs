using System.IO.Compression;
using System.Text;

namespace Simd.Runtime.Tests;

/// <summary>
/// A fresh folder under the system temp folder for the files a test writes, deleted with everything in it on
/// dispose. The one scratch-folder helper of the tests: a test class holds one as a field, a test method in a using.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "simd-tests-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the folder (gzip-compressed if asked) and returns its path.</summary>
    public string Write(string name, byte[] content, bool gzip = false)
    {
        string path = PathOf(name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }

    public string WriteText(string name, string text, bool gzip = false) => Write(name, Encoding.UTF8.GetBytes(text), gzip);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
