using System.Security.Cryptography;
using System.Text;

namespace Simd.Models.Plotting;

/// <summary>
/// Writes a text file (a chart, a table, a report) to a temporary file beside its target, then renames it over the
/// target: a reader never sees half a file, and a failed write leaves nothing behind.
/// </summary>
internal static class AtomicTextFile
{
    public static void Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{path}': it is a folder.");
        if (!Directory.Exists(directory)) throw new IOException($"Cannot write '{path}': the folder '{directory}' does not exist.");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new IOException($"Cannot write '{path}': {e.Message}", e);
        }
    }
}
