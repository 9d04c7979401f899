using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Tensors;

public sealed class TensorTests
{
    [Fact]
    public unsafe void BuffersAre64ByteAlignedAndZeroed()
    {
        using var block = new AlignedBuffer(37);
        fixed (float* p = block.Span)
            Assert.Equal(0, (long)p % AlignedBuffer.Alignment);
        Assert.All(block.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ViewsShareTheBlockAndSliceRows()
    {
        using var block = new AlignedBuffer(16);
        var t = new Tensor(block, 0, new TensorShape(4, 3));
        t.Span.Fill(2f);
        Assert.Equal(6, t.Rows(2).Length);
        Assert.Equal(2f, block.Span[11]);
        Assert.Equal(0f, block.Span[12]);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Rows(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(block, 8, new TensorShape(3, 3)));
    }

    [Fact]
    public void ShapeRankLengthAndRows()
    {
        var s = new TensorShape(2, 3, 4);
        Assert.Equal(3, s.Rank);
        Assert.Equal(24, s.Length);
        Assert.Equal(12, s.RowLength);
        Assert.Equal(new TensorShape(5, 3, 4), s.WithRows(5));
        Assert.Equal("[2×3×4]", s.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => s[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorShape(-1, 2));
    }

    [Fact]
    public void ParameterBlockKeepsGradientsBesideParameters()
    {
        using var block = new ParameterBlock();
        int w = block.ReserveParameter(new TensorShape(3, 3));
        int b = block.ReserveParameter(new TensorShape(3));
        int r = block.ReserveBuffer(new TensorShape(5));
        block.Allocate();
        Assert.Equal(12, block.ParameterCount);
        Assert.Equal(32, block.ParameterLength);
        block.Parameter(b).Span.Fill(1f);
        block.Gradient(b).Span.Fill(2f);
        block.Buffer(r).Span.Fill(3f);
        Assert.Equal(1f, block.Parameters[16]);
        Assert.Equal(2f, block.Gradients[16]);
        Assert.Equal(3f, block.Buffers[0]);
        Assert.Equal(0f, block.Parameter(w).Span[0]);
        Assert.Equal(32, block.OptimizerState(1).Length);
    }
}
