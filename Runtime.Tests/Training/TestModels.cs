using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Training;

/// <summary>Small seeded models and datasets the training tests share.</summary>
internal static class TestModels
{
    /// <summary>Gaussian blobs around class centres: learnable in a few epochs, fixed by the seed.</summary>
    public static Dataset Blobs(int count, int features, int classes, int seed, string name = "blobs")
    {
        var random = new Initializers.DeterministicRandom(seed);
        var centres = new float[classes * features];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(random.NextNormal() * 2);
        var x = new float[count * features];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int c = random.NextInt32(classes);
            labels[n] = c;
            for (int f = 0; f < features; f++) x[n * features + f] = centres[c * features + f] + (float)random.NextNormal();
        }
        return new Dataset(name, x, features, labels, classes);
    }

    /// <summary>Multi-label targets: column j is on when feature j is positive.</summary>
    public static Dataset MultiLabel(int count, int features, int labelsPerRow, int seed)
    {
        var random = new Initializers.DeterministicRandom(seed);
        var x = new float[count * features];
        var t = new float[count * labelsPerRow];
        for (int n = 0; n < count; n++)
        {
            for (int f = 0; f < features; f++) x[n * features + f] = (float)random.NextNormal();
            for (int j = 0; j < labelsPerRow; j++) t[n * labelsPerRow + j] = x[n * features + j] > 0 ? 1f : 0f;
        }
        return new Dataset("multilabel", x, features, t, labelsPerRow);
    }

    /// <summary>An MLP with every layer kind: Dense+ReLU, BatchNorm, Dropout, Dense.</summary>
    public static Model Mlp(int inputs, int classes, long seed = 7, int hidden = 32, int maxBatch = 16) =>
        new ModelBuilder(inputs).Dense(hidden, ActivationKind.Relu).BatchNorm().Dropout(0.2f).Dense(classes).Build(seed, maxBatch);

    public static float[] Snapshot(Model model)
    {
        var p = model.Parameters;
        return [.. p.Parameters, .. p.Buffers, .. p.AllOptimizerState];
    }

    public static float[] RandomArray(int length, int seed, double scale = 1.0)
    {
        var random = new Initializers.DeterministicRandom(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextNormal() * scale);
        return a;
    }
}
