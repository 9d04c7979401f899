using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

/// <summary>A save that dies part-way must leave the previous model in place, loadable and unchanged.</summary>
public class AtomicSaveTests
{
    [Fact]
    public void CrashMidWriteLeavesThePreviousFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        var previous = ModelFiles.Sample();
        previous.Save(path);
        byte[] previousBytes = File.ReadAllBytes(path);

        var next = new ModelContainer();
        next.SetTensor("big", [64, 1024], ModelFiles.Floats(64 * 1024, seed: 3));
        long length = ModelFiles.Bytes(next).Length;
        foreach (long crashAt in new[] { 0L, 1, 31, 4096, length / 2, length - 1 })
        {
            var e = Assert.Throws<IOException>(() => next.Save(path, s => new CrashingStream(s, crashAt)));
            Assert.Contains("simulated crash", e.Message);
            Assert.Equal(previousBytes, File.ReadAllBytes(path));
            ModelFiles.AssertBitwiseEqual(previous, ModelContainer.Load(path));
            Assert.Equal([path], Directory.GetFiles(dir.Path));
        }

        next.Save(path);
        ModelFiles.AssertBitwiseEqual(next, ModelContainer.Load(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    /// <summary>
    /// A process killed mid-save leaves its temporary file behind (no cleanup runs): it is hidden, never named like
    /// the model, and as a prefix of a model it cannot load.
    /// </summary>
    [Fact]
    public void ATempFileLeftByAKilledSaveDoesNotLoad()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        var model = ModelFiles.Sample();
        model.Save(path);
        long length = new FileInfo(path).Length;

        string? leftover = null;
        Assert.Throws<IOException>(() => model.Save(path, s =>
        {
            leftover = ((FileStream)s).Name;
            return new CrashingStream(s, length / 2);
        }));
        Assert.NotNull(leftover);
        Assert.StartsWith(".model.simd.", Path.GetFileName(leftover));
        Assert.EndsWith(".tmp", leftover);

        // Recreate what a kill would have left: the half-written temp file.
        File.WriteAllBytes(leftover, File.ReadAllBytes(path)[..(int)(length / 2)]);
        Assert.Throws<ModelFormatException>(() => ModelContainer.Load(leftover));
        ModelFiles.AssertBitwiseEqual(model, ModelContainer.Load(path));
    }

    /// <summary>Passes writes through until <c>crashAt</c> bytes, then fails as a dying disk or process would.</summary>
    private sealed class CrashingStream(Stream inner, long crashAt) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int allowed = (int)Math.Min(buffer.Length, crashAt - _written);
            inner.Write(buffer[..allowed]);
            _written += allowed;
            if (allowed < buffer.Length) throw new IOException($"simulated crash after {_written} bytes");
        }
    }
}
