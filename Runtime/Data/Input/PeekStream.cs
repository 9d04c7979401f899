namespace Simd.Runtime.Data;

/// <summary>
/// A read-only stream that can look at its first bytes before they are read, without seeking: a pipe or standard
/// input cannot rewind, so what was looked at is kept and handed out again by the reads that follow.
/// </summary>
internal sealed class PeekStream(Stream inner, bool leaveOpen) : Stream
{
    private byte[] _head = [];
    private int _headStart;
    private int _headEnd;
    private bool _reading;

    /// <summary>Up to <paramref name="count"/> first bytes (fewer when the stream is shorter); only before the first read.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (_reading) throw new InvalidOperationException("A stream can only be peeked at before it is read.");
        if (_head.Length < count) Array.Resize(ref _head, count);
        while (_headEnd < count)
        {
            int read = inner.Read(_head, _headEnd, count - _headEnd);
            if (read == 0) break;
            _headEnd += read;
        }
        return _head.AsSpan(0, Math.Min(count, _headEnd));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _reading = true;
        if (_headStart < _headEnd)
        {
            int n = Math.Min(buffer.Length, _headEnd - _headStart);
            _head.AsSpan(_headStart, n).CopyTo(buffer);
            _headStart += n;
            return n;
        }
        return inner.Read(buffer);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The length of a peeked stream is unknown.");

    public override long Position
    {
        get => throw new NotSupportedException("A peeked stream has no position.");
        set => throw new NotSupportedException("A peeked stream cannot seek.");
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A peeked stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A peeked stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A peeked stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
