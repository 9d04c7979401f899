using System.Buffers.Binary;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

public class ModelContainerTests
{
    [Fact]
    public void RoundTripIsBitwise()
    {
        var c = ModelFiles.Sample();
        var back = ModelFiles.Read(ModelFiles.Bytes(c));
        ModelFiles.AssertBitwiseEqual(c, back);
        Assert.Equal(long.MinValue + 3, back.GetInt64("epoch"));
        Assert.True(double.IsNegative(back.GetDouble("learning rate")));
        Assert.Equal("dense 4→3 relu · ünïcödé", back.GetString("architecture"));
        Assert.Equal(new byte[] { 1, 2, 3, 0, 255 }, back.GetBytes("rng state"));
        var w = back.GetTensor("layer1.weights", out var shape);
        Assert.Equal(new[] { 3, 2, 2 }, shape);
        Assert.Equal(ModelFiles.Floats(12, seed: 2), w);
        Assert.Single(back.GetTensor("scalar", out var scalarShape));
        Assert.Empty(scalarShape);
        Assert.Empty(back.GetTensor("empty", out var emptyShape));
        Assert.Equal(new[] { 0, 5 }, emptyShape);
    }

    [Fact]
    public void SaveAndLoadRoundTripThroughAFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        var c = ModelFiles.Sample();
        c.Save(path);
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.Load(path));
        Assert.Equal(ModelFiles.Bytes(c), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void LayoutHasTheDocumentedHeaderAndAlignedTensors()
    {
        var c = new ModelContainer();
        c.SetString("odd name length", "x");
        c.SetTensor("w", [3], [1f, 2f, 3f]);
        var bytes = ModelFiles.Bytes(c);
        Assert.Equal(new byte[] { 0x89, (byte)'S', (byte)'I', (byte)'M', (byte)'D', (byte)'N', (byte)'N', 0x0A }, bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal((ulong)bytes.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        // The tensor's payload is the 12 bytes just before the checksum; it must start on a 64-byte boundary.
        int payload = bytes.Length - 4 - 12;
        Assert.Equal(0, payload % 64);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(payload)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void SetReplacesAndKeepsTheFirstPosition()
    {
        var c = new ModelContainer();
        c.SetInt64("a", 1);
        c.SetInt64("b", 2);
        c.SetTensor("a", [1], [5f]);
        Assert.Equal(new[] { "a", "b" }, c.Names);
        Assert.Equal(5f, c.GetTensor("a", out _)[0]);
    }

    [Fact]
    public void ValuesAreCopiedInAndOut()
    {
        var c = new ModelContainer();
        float[] data = [1f, 2f];
        c.SetTensor("t", [2], data);
        data[0] = 9f;
        c.GetTensor("t", out var shape)[1] = 9f;
        shape[0] = 7;
        Assert.Equal(new[] { 1f, 2f }, c.GetTensor("t", out shape));
        Assert.Equal(new[] { 2 }, shape);
    }

    [Fact]
    public void MissingEntryNamesIt()
    {
        var c = ModelFiles.Sample();
        var e = Assert.Throws<ModelEntryNotFoundException>(() => c.GetTensor("layer9.weights", out _));
        Assert.Equal("layer9.weights", e.EntryName);
        Assert.Contains("layer9.weights", e.Message);
        Assert.IsAssignableFrom<KeyNotFoundException>(e);
        Assert.False(c.Contains("layer9.weights"));
    }

    [Fact]
    public void WrongTypeNamesEntryAndBothTypes()
    {
        var e = Assert.ThrowsAny<InvalidOperationException>(() => ModelFiles.Sample().GetInt64("layer0.bias"));
        Assert.Contains("layer0.bias", e.Message);
        Assert.Contains("float32 tensor", e.Message);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void BadSetArgumentsSayWhatWasExpected()
    {
        var c = new ModelContainer();
        Assert.Contains("needs 6 elements, got 5", Assert.Throws<ArgumentException>(() => c.SetTensor("t", [2, 3], new float[5])).Message);
        Assert.Contains("dimension 1 is -1", Assert.Throws<ArgumentException>(() => c.SetTensor("t", [2, -1], [])).Message);
        Assert.Contains("got 0", Assert.Throws<ArgumentException>(() => c.SetInt64("", 1)).Message);
        Assert.Contains("got 65536", Assert.Throws<ArgumentException>(() => c.SetInt64(new string('x', 65536), 1)).Message);
        Assert.Throws<ArgumentException>(() => c.SetInt64("\ud800", 1));
        Assert.Throws<ArgumentException>(() => c.SetString("s", "\udc00"));
        Assert.Throws<ArgumentException>(() => c.SetTensor("t", new int[256], []));
        Assert.Empty(c.Names);
    }

    [Fact]
    public void WrongVersionNamesFieldOffsetAndBothValues()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.Sample());
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes));
        Assert.Equal("format version", e.Field);
        Assert.Equal(8, e.Offset);
        Assert.Contains("expected 1, found 2", e.Message);
    }

    [Fact]
    public void CorruptionIsCaughtByTheChecksum()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.Sample());
        bytes[^20] ^= 0x10;
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes));
        Assert.Equal("checksum", e.Field);
        Assert.Equal(bytes.Length - 4, e.Offset);
    }

    [Fact]
    public void TruncationNamesTheFileLength()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.Sample());
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes[..^1]));
        Assert.Equal("file length", e.Field);
        Assert.Contains($"declares {bytes.Length} bytes, but only {bytes.Length - 1} are present", e.Message);
        Assert.Equal("header", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes[..31])).Field);
    }

    [Fact]
    public void AbsurdDimensionsAreRejectedBeforeAllocating()
    {
        var c = new ModelContainer();
        c.SetTensor("w", [2, 2], [1f, 2f, 3f, 4f]);
        var bytes = ModelFiles.Bytes(c);
        // Entry 0 starts at 32: 4 fixed bytes, the 1-byte name, then the dims at 37 and 41.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(41), 1 << 28);
        ModelFiles.FixChecksum(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxTensorElements = 1 << 20 }));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal("entry 0 ('w') dimension 1", e.Field);
        Assert.Equal(41, e.Offset);

        // Within the element limit the payload size no longer fits the file.
        e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxTensorElements = 1L << 30 }));
        Assert.Equal("entry 0 ('w') payload size", e.Field);
    }

    [Fact]
    public void LimitsAreEnforced()
    {
        var bytes = ModelFiles.Bytes(ModelFiles.Sample());
        Assert.Equal("entry count", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxEntries = 3 })).Field);
        Assert.Equal("file length", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxFileBytes = 100 })).Field);
        Assert.EndsWith("rank", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxRank = 2 })).Field);
        Assert.EndsWith("name length", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxNameBytes = 5 })).Field);
        Assert.EndsWith("payload size", Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes, new ModelFileLimits { MaxBlobBytes = 4 })).Field);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelFileLimits { MaxRank = 0 });
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var c = new ModelContainer();
        c.SetInt64("a", 1);
        c.SetInt64("b", 2);
        var bytes = ModelFiles.Bytes(c);
        bytes[32 + 4 + 1 + 8 + 8 + 4] = (byte)'a';   // the second entry's name
        ModelFiles.FixChecksum(bytes);
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Read(bytes));
        Assert.Equal("entry 1 name", e.Field);
        Assert.Contains("unique", e.Message);
    }

    [Fact]
    public void ReadsFromANonSeekableStreamAndFromTheMiddleOfAStream()
    {
        var c = ModelFiles.Sample();
        var bytes = ModelFiles.Bytes(c);
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.ReadFrom(new ForwardOnlyStream(bytes)));

        var ms = new MemoryStream();
        ms.Write([1, 2, 3]);
        c.WriteTo(ms);
        ms.Position = 3;
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.ReadFrom(ms));
    }

    [Fact]
    public void AStreamMayCarryMoreAfterTheModelButAFileMayNot()
    {
        var c = ModelFiles.Sample();
        var bytes = ModelFiles.Bytes(c);
        var ms = new MemoryStream();
        c.WriteTo(ms);
        c.WriteTo(ms);
        ms.Position = 0;
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.ReadFrom(ms));
        Assert.Equal(bytes.Length, ms.Position);
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.ReadFrom(ms));
        Assert.Equal(2 * bytes.Length, ms.Position);

        var forwardOnly = new ForwardOnlyStream([.. bytes, 1, 2, 3]);
        ModelFiles.AssertBitwiseEqual(c, ModelContainer.ReadFrom(forwardOnly));

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        File.WriteAllBytes(path, [.. bytes, 0]);
        var e = Assert.Throws<ModelFormatException>(() => ModelContainer.Load(path));
        Assert.Equal("file length", e.Field);
        Assert.Contains($"declares {bytes.Length} bytes, but the file holds {bytes.Length + 1}", e.Message);
    }

    [Fact]
    public void MissingFileIsAnIOError() =>
        Assert.Throws<FileNotFoundException>(() => ModelContainer.Load(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.simd")));

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
