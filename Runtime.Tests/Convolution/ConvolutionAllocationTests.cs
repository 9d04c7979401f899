using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

/// <summary>With the caller's workspace, the convolution, pooling and channel batch-norm kernels allocate nothing.</summary>
[Trait("Category", "Kernels")]
[Collection(nameof(AllocationCollection))]
public class ConvolutionAllocationTests
{
    [Fact]
    public void KernelsAllocateNothingAfterWarmup()
    {
        const int batch = 2;
        var direct = new Conv2DGeometry(1, 28, 28, 6, 5, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2);
        var columns = new Conv2DGeometry(6, 14, 14, 16, 5, 5);
        var pointwise = new Conv2DGeometry(8, 7, 7, 8, 1, 1);
        var pool = new Pool2DGeometry(28, 28, 2, 2, 2, 2);
        var geometries = new[] { direct, columns, pointwise };
        int largest = geometries.Max(g => Math.Max(g.InputLength, g.OutputLength)) * batch;
        float[] x = new float[largest], y = new float[largest], dy = new float[largest], dx = new float[largest];
        float[] w = new float[geometries.Max(g => g.WeightLength)], dw = new float[w.Length], bias = new float[16], db = new float[16];
        float[] ws = new float[geometries.Max(g => Conv2D.WorkspaceLength(g))];
        int[] indices = new int[batch * 6 * pool.OutputPlane];
        float[] mean = new float[6], invStd = new float[6], gamma = new float[6], beta = new float[6];
        void Calls()
        {
            foreach (var g in geometries)
            {
                int n = batch * g.InputLength, m = batch * g.OutputLength;
                Conv2D.Forward(g, batch, x.AsSpan(0, n), w.AsSpan(0, g.WeightLength), bias.AsSpan(0, g.OutputChannels), y.AsSpan(0, m), ws, ActivationKind.Relu);
                Conv2D.BackwardData(g, batch, dy.AsSpan(0, m), w.AsSpan(0, g.WeightLength), dx.AsSpan(0, n), ws);
                Conv2D.BackwardWeights(g, batch, x.AsSpan(0, n), dy.AsSpan(0, m), dw.AsSpan(0, g.WeightLength), ws);
                Conv2D.BackwardBias(g, batch, dy.AsSpan(0, m), db.AsSpan(0, g.OutputChannels));
            }
            int planes = batch * 6, input = planes * pool.InputPlane, output = planes * pool.OutputPlane;
            MaxPool2D.Forward(pool, planes, x.AsSpan(0, input), y.AsSpan(0, output), indices);
            MaxPool2D.Backward(pool, planes, dy.AsSpan(0, output), indices, dx.AsSpan(0, input));
            AvgPool2D.Forward(pool, planes, x.AsSpan(0, input), y.AsSpan(0, output), countIncludePad: false);
            AvgPool2D.Backward(pool, planes, dy.AsSpan(0, output), dx.AsSpan(0, input), countIncludePad: false);
            GlobalPool.AverageForward(planes, 784, x.AsSpan(0, input), y.AsSpan(0, planes));
            GlobalPool.MaxForward(planes, 784, x.AsSpan(0, input), y.AsSpan(0, planes), indices.AsSpan(0, planes));
            BatchNorm2D.ForwardTraining(x.AsSpan(0, input), batch, 6, 784, gamma, beta, 1e-5f, y.AsSpan(0, input), mean, invStd);
            BatchNorm2D.Backward(x.AsSpan(0, input), dy.AsSpan(0, input), batch, 6, 784, gamma, mean, invStd, dx.AsSpan(0, input), dw.AsSpan(0, 6), db.AsSpan(0, 6));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
