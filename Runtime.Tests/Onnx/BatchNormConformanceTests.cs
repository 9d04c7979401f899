using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;
using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

using BN = Simd.Runtime.Intrinsics.BatchNorm;

/// <summary>
/// ONNX BatchNormalization (NCHW: the features are the channel dimension) against our rows × features kernels.
/// The tensor is transposed to (N·H·W) rows of C features, run, and transposed back.
/// </summary>
[Trait("Category", "Conformance")]
public class BatchNormConformanceTests
{
    public static TheoryData<string, SimdWidth> InferenceCases() => ConformanceKernels.CaseWidths("test_batchnorm_example", "test_batchnorm_epsilon");

    public static TheoryData<string, SimdWidth> TrainingCases() => ConformanceKernels.CaseWidths("test_batchnorm_epsilon_training_mode");

    /// <summary>Inference: running statistics folded into scale and shift, then y = x·scale + shift.</summary>
    [Theory]
    [MemberData(nameof(InferenceCases))]
    public void InferenceMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal("BatchNormalization", node.OpType);
        Assert.Equal(0, node.Int("training_mode", 0));
        float epsilon = node.Float("epsilon", 1e-5f);
        (float[] rows, int count, int features) = ToRows(c.Inputs[0]);
        var scale = new float[features];
        var shift = new float[features];
        BN.FoldInference(c.Inputs[1].Floats, c.Inputs[2].Floats, c.Inputs[3].Floats, c.Inputs[4].Floats, epsilon, scale, shift);
        var y = new float[rows.Length];
        ConformanceKernels.BatchNormInference(width, rows, count, features, scale, shift, y);
        OnnxAssert.Close(c.Outputs[0], FromRows(y, c.Inputs[0].Dims), $"{name} {width}");
    }

    /// <summary>
    /// Training mode: y from the batch statistics, and the running statistics updated. ONNX's momentum weighs the
    /// old running value (running = momentum·running + (1 − momentum)·batch); ours weighs the batch, as PyTorch's
    /// does, so ours gets 1 − momentum. ONNX blends the biased batch variance, PyTorch (and we) the unbiased one
    /// (times rows/(rows − 1)): a documented difference of definition, so the expected running variance is ONNX's
    /// with its batch term rescaled by that factor, which still checks every other part of the update.
    /// </summary>
    [Theory]
    [MemberData(nameof(TrainingCases))]
    public void TrainingMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal(1, node.Int("training_mode", 0));
        float epsilon = node.Float("epsilon", 1e-5f), momentum = node.Float("momentum", 0.9f);
        (float[] rows, int count, int features) = ToRows(c.Inputs[0]);
        var y = new float[rows.Length];
        var mean = new float[features];
        var invStd = new float[features];
        ConformanceKernels.BatchNormTraining(width, rows, count, features, c.Inputs[1].Floats, c.Inputs[2].Floats, epsilon, y, mean, invStd);
        OnnxAssert.Close(c.Outputs[0], FromRows(y, c.Inputs[0].Dims), $"{name} {width} y");

        float[] runningMean = c.Inputs[3].Floats.ToArray(), runningVariance = c.Inputs[4].Floats.ToArray();
        BN.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, epsilon, 1 - momentum, count);
        OnnxAssert.Close(c.Outputs[1], runningMean, $"{name} {width} running mean");

        ReadOnlySpan<float> oldVariance = c.Inputs[4].Floats, onnxVariance = c.Outputs[2].Floats;
        var expected = new float[features];
        double bessel = count / (count - 1.0);
        for (int f = 0; f < features; f++)
            expected[f] = (float)(momentum * oldVariance[f] + (onnxVariance[f] - momentum * (double)oldVariance[f]) * bessel);
        OnnxAssert.Close(expected, runningVariance, $"{name} {width} running variance (unbiased batch term)");
    }

    /// <summary>
    /// The training-mode case through the conformance runner: imported as one sample (the whole [N, C, H, W] is the
    /// batch), ONNX's definition of Y and of both running statistics (the biased batch variance, as ONNX blends it)
    /// is computed by the imported graph, and every output matches.
    /// </summary>
    [Fact]
    public void TheImportedTrainingModeGivesEveryOutput()
    {
        ConformanceCaseFolder folder = ConformanceCaseFolder.Find(ConformanceData.OnnxNode).Single(f => f.Name == "test_batchnorm_epsilon_training_mode");
        ConformanceResult result = new ConformanceRunner().Run(folder);
        Assert.True(result.Outcome == ConformanceOutcome.Pass && result.Reason is null, result.Line);
    }

    /// <summary>[N, C, spatial…] → (N·spatial) rows × C.</summary>
    private static (float[] Rows, int Count, int Features) ToRows(OnnxTensor x)
    {
        int n = (int)x.Dims[0], features = (int)x.Dims[1], spatial = x.ElementCount / (n * features);
        ReadOnlySpan<float> v = x.Floats;
        var rows = new float[v.Length];
        for (int b = 0; b < n; b++)
            for (int f = 0; f < features; f++)
                for (int s = 0; s < spatial; s++)
                    rows[(b * spatial + s) * features + f] = v[(b * features + f) * spatial + s];
        return (rows, n * spatial, features);
    }

    private static float[] FromRows(float[] rows, IReadOnlyList<long> dims)
    {
        int n = (int)dims[0], features = (int)dims[1], spatial = rows.Length / (n * features);
        var y = new float[rows.Length];
        for (int b = 0; b < n; b++)
            for (int f = 0; f < features; f++)
                for (int s = 0; s < spatial; s++)
                    y[(b * features + f) * spatial + s] = rows[(b * spatial + s) * features + f];
        return y;
    }
}
