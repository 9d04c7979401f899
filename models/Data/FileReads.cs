using System.Security.Cryptography;
using Simd.Runtime.Data;

namespace Simd.Models.Data;

/// <summary>
/// The data files one dataset is read from, in order, with their fingerprint taken during the same read. A file
/// that cannot seek (a named pipe, /dev/stdin, a process substitution) still loads, but leaves no fingerprint:
/// it cannot be read again to check.
/// </summary>
internal sealed class FileReads
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<string> _files = [];
    private long _bytes;
    private bool _pipe;

    /// <summary>Full paths of the files read, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Null when a file was a pipe.</summary>
    public DataFingerprint? Fingerprint => _pipe ? null : new DataFingerprint(_bytes, Convert.ToHexStringLower(_hash.GetCurrentHash()));

    /// <summary>Opens <paramref name="path"/> (format told from its content), hands it to <paramref name="load"/>, and hashes every byte of it.</summary>
    public T Read<T>(string path, Func<DataInput, T> load)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        if (!file.CanSeek) _pipe = true;
        var hashing = new HashingStream(file, _hash);
        T result;
        using (DataInput input = DataInput.Open(hashing, path, leaveOpen: true)) result = load(input);
        hashing.Drain();
        _bytes += hashing.BytesRead;
        _files.Add(Path.GetFullPath(path));
        return result;
    }
}
