using Simd.Runtime.Inference;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Inference;

public class InferenceModelTests
{
    // See InferencePlanFoldingTests: folding reorders float operations, ~1e-6 relative here.
    private const float Tolerance = 1e-5f;

    private static readonly Model Plan = InferencePlans.Mlp();

    [Fact]
    public void PredictMatchesTheUnfoldedNetwork()
    {
        using var model = InferenceModel.Freeze(Plan, new InferenceOptions { MaxBatch = 16 });
        Assert.Equal(24, model.InputSize);
        Assert.Equal(5, model.OutputSize);
        Assert.Equal("24 → Dense(24→20, Relu) → Dense(20→12, Relu) → Dense(12→5, Identity)", model.Describe());

        var rng = new Random(11);
        foreach (int batch in new[] { 1, 2, 7, 16 })
        {
            var input = InferencePlans.Uniform(rng, batch * model.InputSize, 2f);
            var output = new float[batch * model.OutputSize];
            model.Predict(input, batch, output);
            InferencePlans.AssertClose(InferencePlans.Reference(Plan, input, batch), output, Tolerance);
        }
    }

    [Fact]
    public void SingleSampleFormsAgree()
    {
        using var model = InferenceModel.Freeze(Plan);
        var input = InferencePlans.Uniform(new Random(2), model.InputSize, 2f);
        var logits = new float[model.OutputSize];
        model.Predict(input, logits);

        int best = Array.IndexOf(logits, logits.Max());
        Assert.Equal(best, model.PredictClass(input));

        var p = new float[model.OutputSize];
        model.PredictProbabilities(input, p);
        double sum = logits.Sum(v => Math.Exp(v - logits.Max()));
        for (int i = 0; i < p.Length; i++)
            Assert.Equal(Math.Exp(logits[i] - logits.Max()) / sum, p[i], 1e-6);
        Assert.Equal(best, Array.IndexOf(p, p.Max()));
    }

    [Fact]
    public void IntraOpThreadsGiveBitwiseTheSameOutputs()
    {
        using var one = InferenceModel.Freeze(Plan);
        using var two = InferenceModel.Freeze(Plan, new InferenceOptions { IntraOpThreads = 2 });
        var input = InferencePlans.Uniform(new Random(4), 32 * Plan.InputSize, 2f);
        var a = new float[32 * one.OutputSize];
        var b = new float[32 * one.OutputSize];
        one.Predict(input, 32, a);
        two.Predict(input, 32, b);
        InferencePlans.AssertBitwise(a, b, "2 intra-op threads");
    }

    [Fact]
    public void WrongLengthsNameExpectedAndActual()
    {
        using var model = InferenceModel.Freeze(Plan, new InferenceOptions { MaxBatch = 8 });
        var output = new float[5];
        var e = Assert.Throws<ArgumentException>(() => model.Predict(new float[23], output));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("has 23 floats; expected 1 sample × 24 = 24", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.Predict(new float[24], new float[6]));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("has 6 floats; expected 1 sample × 5 = 5", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.Predict(new float[3 * 24], 3, new float[10]));
        Assert.Contains("expected 3 samples × 5 = 15", e.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new float[9 * 24], 9, new float[9 * 5]));
        Assert.Contains("1..8", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(ReadOnlySpan<float>.Empty, 0, Span<float>.Empty));
        Assert.Throws<ArgumentException>(() => model.PredictClass(new float[25]));
        Assert.Throws<ArgumentException>(() => model.PredictProbabilities(new float[24], new float[4]));
    }

    [Fact]
    public void NonFiniteInputIsRejectedNamingSampleAndFeature()
    {
        using var model = InferenceModel.Freeze(Plan, new InferenceOptions { NonFiniteInput = NonFiniteInput.Reject });
        var input = InferencePlans.Uniform(new Random(6), 3 * 24, 1f);
        var output = new float[3 * 5];
        model.Predict(input, 3, output);

        input[2 * 24 + 17] = float.PositiveInfinity;
        input[2 * 24 + 20] = float.NaN;
        var e = Assert.Throws<NonFiniteInputException>(() => model.Predict(input, 3, output));
        Assert.Equal((2, 17), (e.Sample, e.Feature));
        Assert.Contains("sample 2, feature 17", e.Message);
        Assert.Equal("inputs", e.ParamName);

        // Every position is found, vector body and tail alike.
        for (int at = 0; at < 24; at++)
        {
            var one = new float[24];
            one[at] = float.NaN;
            Assert.Equal(at, Assert.Throws<NonFiniteInputException>(() => model.PredictClass(one)).Feature);
        }
    }

    [Fact]
    public void NonFiniteInputPropagatesByDefault()
    {
        // No ReLU here: whether ReLU passes NaN on is the activation kernel's business, not this option's.
        using var model = InferenceModel.Freeze(InferencePlans.Dense(4, 3, Intrinsics.ActivationKind.Identity));
        var output = new float[3];
        model.Predict([1f, float.NaN, 2f, 3f], output);
        Assert.All(output, v => Assert.True(float.IsNaN(v)));
        // The class of a NaN output is the first NaN's index, as Reductions.ArgMax (and PyTorch's argmax) has it.
        Assert.Equal(0, model.PredictClass([1f, float.NaN, 2f, 3f]));
        model.Predict([1f, float.PositiveInfinity, 2f, 3f], output);
        Assert.All(output, v => Assert.False(float.IsFinite(v)));
    }

    [Fact]
    public void DisposedModelRefusesCalls()
    {
        var model = InferenceModel.Freeze(Plan);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(new float[24], new float[5]));
    }

    [Fact]
    public void OptionsRejectOutOfRangeValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { MaxBatch = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { IntraOpThreads = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceOptions { NonFiniteInput = (NonFiniteInput)7 });
    }
}
