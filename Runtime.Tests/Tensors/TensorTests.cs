using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Tensors;

public sealed class TensorTests
{
    [Fact]
    public unsafe void BuffersAndPlannedTensorsAre64ByteAligned()
    {
        var plan = new BufferPlan();
        int a = plan.Reserve(new TensorShape(3, 5));
        int b = plan.Reserve(new TensorShape(7));
        int c = plan.Reserve(new TensorShape(2, 2, 2, 2));
        using var block = plan.Allocate();
        foreach (int handle in new[] { a, b, c })
        {
            fixed (float* p = plan.Tensor(handle).Span)
                Assert.Equal(0, (long)p % AlignedBuffer.Alignment);
        }
        Assert.Equal(16 + 16 + 16, plan.Length);
        Assert.All(block.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ViewsShareTheBlockAndSliceRows()
    {
        var plan = new BufferPlan();
        int h = plan.Reserve(new TensorShape(4, 3));
        using var block = plan.Allocate();
        var t = plan.Tensor(h);
        t.Span.Fill(2f);
        Assert.Equal(6, t.Rows(2).Length);
        Assert.Equal(2f, block.Span[11]);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Rows(5));
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
