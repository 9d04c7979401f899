using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// BatchNorm over the channels of images [C, H, W]: statistics per channel over the N·H·W values (a single image
/// has batch statistics when its plane holds more than one value), evaluation with the running statistics, and
/// frozen (folded into a scale and shift per channel).
/// </summary>
public sealed class BatchNorm2DOpTests
{
    private const float Epsilon = 1e-3f;

    public static TheoryData<int, int, int> Images() => new() { { 1, 2, 3 }, { 3, 4, 4 }, { 5, 3, 7 }, { 4, 1, 1 } };

    private static void Statistics(Op op, DeterministicRandom random)
    {
        var bn = (BatchNormOp)op;
        for (int c = 0; c < bn.Features; c++)
        {
            bn.Gamma[c] = (float)(0.5 + random.NextDouble());
            bn.Beta[c] = (float)(random.NextNormal() * 0.5);
            bn.RunningMean[c] = (float)(random.NextNormal() * 0.5);
            bn.RunningVariance[c] = (float)(0.5 + random.NextDouble());
        }
    }

    private static OpCase Case(int channels, int height, int width, bool training, bool prepared = false, int[]? batches = null) =>
        new($"batchnorm {channels}×{height}×{width} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new BatchNormOp(Epsilon), [new TensorShape(channels, height, width)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
            Initialize = Statistics,
            Batches = batches ?? [1, 2, 7],
        };

    /// <summary>Per channel, over every row and every position of the plane: γ·(x − mean)/√(biased variance + ε) + β.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        double[] x = a.Inputs[0], gamma = a.Tensor("gamma"), beta = a.Tensor("beta");
        double[] runningMean = a.Tensor("running_mean"), runningVariance = a.Tensor("running_variance");
        int channels = gamma.Length, plane = a.InputShapes[0][1] * a.InputShapes[0][2], rows = a.Rows, count = rows * plane;
        var y = new double[x.Length];
        for (int c = 0; c < channels; c++)
        {
            IEnumerable<int> At() => Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range((r * channels + c) * plane, plane));
            double mean = runningMean[c], variance = runningVariance[c];
            if (a.Training && count > 1)
            {
                mean = At().Sum(i => x[i]) / count;
                variance = At().Sum(i => (x[i] - mean) * (x[i] - mean)) / count;
            }
            double invStd = 1 / Math.Sqrt(variance + Epsilon);
            foreach (int i in At()) y[i] = gamma[c] * (x[i] - mean) * invStd + beta[c];
        }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Training(int channels, int height, int width) => OpTester.Check(Case(channels, height, width, training: true));

    [Theory]
    [MemberData(nameof(Images))]
    public void Evaluation(int channels, int height, int width) => OpTester.Check(Case(channels, height, width, training: false));

    [Theory]
    [MemberData(nameof(Images))]
    public void Frozen(int channels, int height, int width) => OpTester.Check(Case(channels, height, width, training: false, prepared: true));

    [Fact]
    public void TheTensorsHoldOneValuePerChannel()
    {
        var op = new BatchNormOp();
        Assert.Equal(new TensorShape(6, 5, 4), op.InferShapes([new TensorShape(6, 5, 4)])[0]);
        Assert.All(op.TensorSpecs(), t => Assert.Equal(new TensorShape(6), t.Shape));
        Assert.Equal((6, 20), (op.Features, op.Plane));
    }

    /// <summary>The running statistics move by the batch's per-channel mean and unbiased variance over N·H·W values.</summary>
    [Fact]
    public void TrainingMovesTheRunningStatisticsPerChannel()
    {
        var builder = new GraphBuilder();
        var bn = new BatchNormOp(momentum: 0.5f);
        builder.Output(builder.Single(bn, builder.Input(new TensorShape(2, 1, 2))));
        using var model = builder.Build(seed: 1, maxBatch: 2);
        // Channel 0 holds 1, 2 (sample 0) and 3, 6 (sample 1); channel 1 holds 10 everywhere.
        float[] x = [1, 2, 10, 10, 3, 6, 10, 10];
        model.Forward(x, 2, training: true);
        Assert.Equal(0.5 * 3, bn.RunningMean[0], 1e-6);
        Assert.Equal(0.5 * 1 + 0.5 * (4 + 1 + 0 + 9) / 3.0, bn.RunningVariance[0], 1e-5);
        Assert.Equal(0.5 * 10, bn.RunningMean[1], 1e-5);
        Assert.Equal(0.5, bn.RunningVariance[1], 1e-5);
    }

    [Fact]
    public void OtherRanksAreRefused()
    {
        var builder = new GraphBuilder();
        var e = Assert.Throws<ArgumentException>(() => builder.BatchNorm(builder.Input(new TensorShape(3, 4))));
        Assert.Equal("Node 'batchnorm0': batchnorm takes rows of features [features] or images [channels, height, width]: each sample must have 1 or 3 dimensions, got [3×4].", e.Message);
    }
}
