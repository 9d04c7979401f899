namespace Simd.Runtime.Serialization;

/// <summary>
/// Where <see cref="ModelContainer.Save(string)"/> and the ONNX export write: the checks on the target path, the
/// atomic write through a temporary file, the names of those files, and the removal of those that killed saves left.
/// </summary>
internal static class SaveTarget
{
    private const int RandomDigits = 16;

    /// <summary>The full path and its folder, or an <see cref="IOException"/> naming what stands in the way.</summary>
    public static (string Full, string Directory) Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"'{path}' is a folder; expected a file path, such as a new file inside it.");
        string directory = Path.GetDirectoryName(full) ?? throw new IOException($"'{path}' names no file.");
        if (!Directory.Exists(directory))
        {
            // The nearest ancestor that exists says why: a file where a folder should be, or folders not yet made.
            string? ancestor = directory;
            while (ancestor is not null && !Directory.Exists(ancestor) && !File.Exists(ancestor)) ancestor = Path.GetDirectoryName(ancestor);
            if (ancestor is not null && File.Exists(ancestor))
                throw new IOException($"'{path}' cannot be written: '{ancestor}' is a file, not a folder.");
            throw new IOException($"'{path}' cannot be written: the folder '{directory}' does not exist.");
        }
        if (File.Exists(full) && (File.GetAttributes(full) & FileAttributes.ReadOnly) != 0)
            throw new IOException($"'{path}' is read-only; make it writable or choose another file.");
        return (full, directory);
    }

    public static IOException NotWritable(string path, string directory, Exception cause) =>
        new($"'{path}' cannot be written: the folder '{directory}' does not accept new files" +
            (cause is UnauthorizedAccessException ? " (permission denied)." : "."), cause);

    /// <summary>
    /// Writes a file at the checked target (<see cref="Check"/>'s full path and folder) atomically: a temporary file
    /// in the same folder is written by <paramref name="write"/>, flushed to the disk, then renamed over the target,
    /// so a failure or a crash never leaves a partial file there (and an existing one stays as it was). An I/O
    /// failure is an <see cref="IOException"/> naming <paramref name="path"/>, never the temporary file.
    /// </summary>
    public static void WriteAtomically(string path, string full, string directory, Action<Stream> write)
    {
        string temp = Path.Combine(directory, TemporaryName(full));
        FileStream file;
        try
        {
            // FileShare.None holds an exclusive lock for as long as the write lasts: that is how a later save tells
            // this file, while it is being written, from one a killed process left (RemoveStaleTemporaryFiles).
            file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, directory, e);
        }
        try
        {
            using (file)
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (e is IOException or UnauthorizedAccessException)
                throw new IOException($"Could not write '{path}': {e.Message.Replace(temp, path, StringComparison.Ordinal)}", e);
            throw;
        }
    }

    /// <summary>A fresh hidden name beside the target: <c>.{name}.{16 hex digits}.tmp</c>.</summary>
    public static string TemporaryName(string full) => $".{Path.GetFileName(full)}.{Random.Shared.NextInt64():x16}.tmp";

    public static bool IsTemporaryOf(string fileName, string targetName)
    {
        int prefix = targetName.Length + 2;
        if (fileName.Length != prefix + RandomDigits + 4 || fileName[0] != '.' || fileName[prefix - 1] != '.') return false;
        if (!fileName.AsSpan(1, targetName.Length).SequenceEqual(targetName) || !fileName.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        foreach (char c in fileName.AsSpan(prefix, RandomDigits))
        {
            if (!char.IsAsciiHexDigitLower(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// Each temporary file of <paramref name="full"/> that can be opened exclusively is stale: a live save holds its
    /// own exclusively until it renames it, and a killed process's lock dies with it. So the rule needs no clock
    /// (an age limit would either delete a slow live write or keep a fresh leftover), and deleting happens while
    /// the exclusive handle is held, so no writer can take the file back in between.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaryFiles(string full)
    {
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory)) return [];
        string name = Path.GetFileName(full);
        List<string>? removed = null;
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, ".*.tmp").ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        foreach (string file in files)
        {
            if (!IsTemporaryOf(Path.GetFileName(file), name)) continue;
            try
            {
                using (new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
                // Deleting on close reports no failure (a folder that refuses deletions): count only what is gone.
                if (!File.Exists(file)) (removed ??= []).Add(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Locked by a save still writing it, already gone, or not ours to delete: leave it.
            }
        }
        return removed ?? (IReadOnlyList<string>)[];
    }
}
