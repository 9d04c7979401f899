using System.Globalization;

namespace Simd.Models.Data;

/// <summary>
/// The size in bytes and the SHA-256 of the files a dataset was read from (their bytes as stored, concatenated in
/// reading order). SHA-256 rather than the model file's CRC-32C: a CRC is made to catch corrupted bits, this has to
/// tell two arbitrary versions of a file apart (a shuffled copy of the same rows), and at a few hundred MB/s it
/// costs little beside parsing the same bytes.
/// </summary>
internal sealed record DataFingerprint(long Bytes, string Sha256)
{
    /// <summary>Reads <paramref name="files"/> through, or null when one of them is a pipe that reading would consume.</summary>
    public static DataFingerprint? Of(IReadOnlyList<string> files)
    {
        var reads = new FileReads();
        foreach (string file in files)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"'{file}' no longer exists.", file);
            reads.Read(file, _ => 0);
        }
        return reads.Fingerprint;
    }

    /// <summary>What differs from <paramref name="now"/>, in words; null when nothing does.</summary>
    public string? DescribeChange(DataFingerprint now)
    {
        var c = CultureInfo.InvariantCulture;
        if (now.Bytes != Bytes) return string.Create(c, $"its size was {Bytes:N0} bytes at training, now {now.Bytes:N0}");
        if (!string.Equals(now.Sha256, Sha256, StringComparison.OrdinalIgnoreCase))
            return string.Create(c, $"its size is the same, {Bytes:N0} bytes, but its content differs: SHA-256 {Sha256[..12]}… at training, now {now.Sha256[..12]}…");
        return null;
    }
}
