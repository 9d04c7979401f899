using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Inference;

/// <summary>A training model frozen for inference computes what the model computes in evaluation mode.</summary>
public class FrozenModelTests
{
    // Folding batch norm into the weights reorders float operations (scale applied to W before the dot product
    // rather than to its result); over 24..48-term dot products of unit-scale values that moves results by a few
    // ulps, ~1e-6 relative. 1e-5 is the bound.
    private const float Tolerance = 1e-5f;

    private static Model Build(long seed = 3)
    {
        var model = new ModelBuilder(24)
            .Dense(32).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.25f)
            .Dense(16, ActivationKind.Relu).BatchNorm()
            .Flatten()
            .Dense(6)
            .Build(seed, maxBatch: 16);
        // Running statistics far from the initial 0/1 so that folding has something to fold.
        var rng = new Random((int)seed);
        foreach (var bn in model.Ops.OfType<Simd.Runtime.Ops.BatchNormOp>())
        {
            for (int f = 0; f < bn.Features; f++)
            {
                bn.Gamma[f] = 0.5f + (float)rng.NextDouble();
                bn.Beta[f] = (float)rng.NextDouble() - 0.5f;
                bn.RunningMean[f] = (float)rng.NextDouble() - 0.5f;
                bn.RunningVariance[f] = 0.3f + (float)rng.NextDouble();
            }
        }
        return model;
    }

    [Fact]
    public void FrozenOutputEqualsEvaluationOutput()
    {
        using var model = Build();
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 16 });
        Assert.Equal("24 → Dense(24→32, Relu) → Dense(32→16, Relu) → Dense(16→6, Identity)", frozen.Describe());
        var rng = new Random(5);
        foreach (int batch in new[] { 1, 3, 16 })
        {
            var input = InferencePlans.Uniform(rng, batch * 24, 2f);
            var expected = model.Forward(input, batch, training: false).ToArray();
            var actual = new float[batch * 6];
            frozen.Predict(input, batch, actual);
            InferencePlans.AssertClose(expected, actual, Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(ActivationKinds))]
    public void EveryActivationFusesIntoTheEpilogue(ActivationKind kind)
    {
        using var model = new ModelBuilder(12).Dense(9).BatchNorm().Activation(kind).Dense(4).Build(seed: 7, maxBatch: 5);
        using var frozen = InferenceModel.Freeze(model);
        Assert.Equal($"12 → Dense(12→9, {kind}) → Dense(9→4, Identity)", frozen.Describe());
        var input = InferencePlans.Uniform(new Random(8), 5 * 12, 3f);
        var expected = model.Forward(input, 5, training: false).ToArray();
        var actual = new float[5 * 4];
        frozen.Predict(input, 5, actual);
        InferencePlans.AssertClose(expected, actual, Tolerance);
    }

    public static TheoryData<ActivationKind> ActivationKinds() => new(Enum.GetValues<ActivationKind>());

    [Fact]
    public void FreezingCopiesTheWeights()
    {
        using var model = Build();
        using var frozen = InferenceModel.Freeze(model);
        var input = InferencePlans.Uniform(new Random(1), 24, 1f);
        var before = new float[6];
        frozen.Predict(input, before);
        ((Simd.Runtime.Ops.DenseOp)model.Nodes[0].Op).Weights.Clear();
        var after = new float[6];
        frozen.Predict(input, after);
        InferencePlans.AssertBitwise(before, after, "after the training model changed");
    }

    [Fact]
    public void SavedAndLoadedModelPredictsBitwiseTheSame()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "mlp.simd");
        using var model = Build();
        model.Save(path);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 8 });
        using var loaded = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 8 });
        var input = InferencePlans.Uniform(new Random(2), 8 * 24, 2f);
        var a = new float[8 * 6];
        var b = new float[8 * 6];
        frozen.Predict(input, 8, a);
        loaded.Predict(input, 8, b);
        InferencePlans.AssertBitwise(a, b, "loaded from the file");
    }

    [Fact]
    public void LoadingADamagedFileGivesTheFormatException()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "mlp.simd");
        using var model = Build();
        model.Save(path);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 4;
        File.WriteAllBytes(path, bytes);
        Assert.Equal("checksum", Assert.Throws<Simd.Runtime.Serialization.ModelFormatException>(() => InferenceModel.Load(path)).Field);
    }
}
