using System.Buffers.Binary;

namespace Simd.Runtime.Tests.Data;

/// <summary>Small IDX files built in memory, and folders of them in the MNIST layout.</summary>
internal static class IdxBytes
{
    /// <summary>An IDX file: magic 00 00 type rank, big-endian int32 dimensions, then the payload as given.</summary>
    public static byte[] Idx(byte type, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>
    /// <paramref name="labels"/>.Length images of rows × cols bytes whose brightness pattern follows the label, so
    /// that a small model learns them in a few epochs.
    /// </summary>
    public static byte[] Images(byte[] labels, int rows = 4, int cols = 4)
    {
        var random = new Random(labels.Length);
        var payload = new byte[labels.Length * rows * cols];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int k = 0; k < rows * cols; k++)
                payload[i * rows * cols + k] = (byte)((k == labels[i] % (rows * cols) ? 200 : 30) + random.Next(-10, 10));
        }
        return Idx(0x08, [labels.Length, rows, cols], payload);
    }

    public static byte[] Labels(byte[] labels) => Idx(0x08, [labels.Length], labels);

    /// <summary>Labels 0..classes−1 repeated over <paramref name="count"/> samples.</summary>
    public static byte[] Cycle(int count, int classes) => Enumerable.Range(0, count).Select(i => (byte)(i % classes)).ToArray();

    /// <summary>Writes the four MNIST-layout files into <paramref name="folder"/> (created), gzip-compressed or not.</summary>
    public static void WriteFolder(string folder, byte[] trainLabels, byte[] testLabels, bool gzip = false, bool dotSpelling = false)
    {
        Directory.CreateDirectory(folder);
        string sep = dotSpelling ? "." : "-";
        Write(Path.Combine(folder, $"train-images{sep}idx3-ubyte"), Images(trainLabels), gzip);
        Write(Path.Combine(folder, $"train-labels{sep}idx1-ubyte"), Labels(trainLabels), gzip);
        Write(Path.Combine(folder, $"t10k-images{sep}idx3-ubyte"), Images(testLabels), gzip);
        Write(Path.Combine(folder, $"t10k-labels{sep}idx1-ubyte"), Labels(testLabels), gzip);
    }

    public static void Write(string path, byte[] content, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, content);
            return;
        }
        using var file = File.Create(path + ".gz");
        using var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        zip.Write(content);
    }

    public static byte[] Gzip(byte[] content)
    {
        var memory = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) zip.Write(content);
        return memory.ToArray();
    }
}
