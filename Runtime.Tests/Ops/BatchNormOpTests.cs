using Simd.Runtime.Initializers;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// BatchNorm in training (batch statistics; a batch of one row normalizes with the running statistics instead),
/// in evaluation, and frozen (the statistics folded into one scale and shift).
/// </summary>
public sealed class BatchNormOpTests
{
    private const float Epsilon = 1e-3f;

    public static TheoryData<int> Features() => new() { 1, 3, 17, 64 };

    /// <summary>Gamma and beta drawn, and running statistics a trained network could have (variance 0.5 to 1.5).</summary>
    private static void Statistics(Op op, DeterministicRandom random)
    {
        var bn = (BatchNormOp)op;
        for (int f = 0; f < bn.Features; f++)
        {
            bn.Gamma[f] = (float)(0.5 + random.NextDouble());
            bn.Beta[f] = (float)(random.NextNormal() * 0.5);
            bn.RunningMean[f] = (float)(random.NextNormal() * 0.5);
            bn.RunningVariance[f] = (float)(0.5 + random.NextDouble());
        }
    }

    private static OpCase Case(int features, bool training, bool prepared = false, int[]? batches = null) =>
        new($"batchnorm {features} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new BatchNormOp(Epsilon), [new TensorShape(features)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
            Initialize = Statistics,
            Batches = batches ?? OpTester.Batches,
        };

    /// <summary>
    /// Training with more than one row: (x − mean)/√(biased variance + ε) per feature, then γ·x̂ + β; otherwise the
    /// running statistics take the batch's place (evaluation, and the one-row training batch).
    /// </summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        double[] x = a.Inputs[0], gamma = a.Tensor("gamma"), beta = a.Tensor("beta");
        double[] runningMean = a.Tensor("running_mean"), runningVariance = a.Tensor("running_variance");
        int features = gamma.Length, rows = a.Rows;
        var y = new double[x.Length];
        for (int f = 0; f < features; f++)
        {
            double mean = runningMean[f], variance = runningVariance[f];
            if (a.Training && rows > 1)
            {
                mean = 0;
                for (int r = 0; r < rows; r++) mean += x[r * features + f];
                mean /= rows;
                variance = 0;
                for (int r = 0; r < rows; r++) variance += (x[r * features + f] - mean) * (x[r * features + f] - mean);
                variance /= rows;
            }
            double invStd = 1 / Math.Sqrt(variance + Epsilon);
            for (int r = 0; r < rows; r++) y[r * features + f] = gamma[f] * (x[r * features + f] - mean) * invStd + beta[f];
        }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void Training(int features) => OpTester.Check(Case(features, training: true));

    [Theory]
    [MemberData(nameof(Features))]
    public void Evaluation(int features) => OpTester.Check(Case(features, training: false));

    [Theory]
    [MemberData(nameof(Features))]
    public void Frozen(int features) => OpTester.Check(Case(features, training: false, prepared: true));

    /// <summary>The one-row training batch: the running statistics' fixed affine map, trained through (gradients checked).</summary>
    [Theory]
    [MemberData(nameof(Features))]
    public void OneRowTrainingBatch(int features) => OpTester.Check(Case(features, training: true, batches: [1]));
}
