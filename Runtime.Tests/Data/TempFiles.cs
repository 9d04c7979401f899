using System.IO.Compression;
using System.Text;

namespace Simd.Runtime.Tests.Data;

/// <summary>A scratch folder for files written by a test, removed afterwards.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("simd-data-tests-").FullName;

    public string Write(string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(_root, name);
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

    public string PathOf(string name) => Path.Combine(_root, name);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
