using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// A BatchNorm epsilon of 1 or more is legal in PyTorch and ONNX, so a model built or imported with one saves and
/// loads back; only a value that is not positive and finite as a float is refused, by the op itself.
/// </summary>
public sealed class BatchNormEpsilonFileTests
{
    [Theory]
    [InlineData(1f)]
    [InlineData(2.5f)]
    public void ALargeEpsilonRoundTrips(float epsilon)
    {
        var g = new GraphBuilder();
        g.Output(g.Dense(g.BatchNorm(g.Input(new TensorShape(6)), epsilon), 3));
        using var model = g.Build(seed: 2, maxBatch: 4);
        var x = TestModels.RandomArray(4 * 6, 9);
        var expected = new float[4 * 3];
        model.Predict(x, expected);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "eps.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: 4);
        var actual = new float[expected.Length];
        loaded.Predict(x, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    [InlineData(0f)]
    public void AnEpsilonThatIsNotPositiveAndFiniteIsRefused(float epsilon) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNormOp(epsilon));
}
