using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>CeluOp and PReluOp (one slope, per channel, per element) against double references and finite differences.</summary>
public sealed class CeluPReluOpTests
{
    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    [InlineData(3f)]
    public void Celu(float alpha)
    {
        foreach (TensorShape shape in new[] { new TensorShape(1), new TensorShape(7), new TensorShape(3, 4), new TensorShape(2, 3, 5) })
            foreach (bool training in new[] { true, false })
                OpTester.Check(new OpCase($"celu {alpha} {shape} {(training ? "training" : "evaluation")}", () => new CeluOp(alpha), [shape],
                    a => [Array.ConvertAll(a.Inputs[0], x => x > 0 ? x : alpha * (Math.Exp(x / alpha) - 1))])
                { Training = training, Batches = [1, 7], NonSmooth = alpha != 1 });
    }

    public static TheoryData<int[], int[]> Slopes() => new()
    {
        { new[] { 5 }, new[] { 1 } },
        { new[] { 5 }, new[] { 5 } },
        { new[] { 3, 4, 2 }, new[] { 3, 1, 1 } },
        { new[] { 3, 4, 2 }, new[] { 4, 2 } },
        { new[] { 3, 4, 2 }, new[] { 2 } },
        { new[] { 2, 3 }, Array.Empty<int>() },
    };

    [Theory]
    [MemberData(nameof(Slopes))]
    public void PRelu(int[] sample, int[] slope)
    {
        var shape = new TensorShape(sample);
        var slopeShape = new TensorShape(slope);
        foreach (bool training in new[] { true, false })
            OpTester.Check(new OpCase($"prelu {shape} slope {slopeShape} {(training ? "training" : "evaluation")}", () => new PReluOp(slopeShape), [shape], a =>
            {
                double[] x = a.Inputs[0], s = a.Tensor("slope");
                var y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : s[SlopeIndex(i % shape.Length, sample, slope)] * x[i];
                return [y];
            })
            { Training = training, Batches = [1, 2, 7], NonSmooth = true });
    }

    /// <summary>The slope element that sample element <paramref name="i"/> uses (ONNX broadcasting, aligned at the right).</summary>
    private static int SlopeIndex(int i, int[] sample, int[] slope)
    {
        int index = 0, stride = 1;
        for (int k = sample.Length - 1; k >= 0; k--)
        {
            int coordinate = i % sample[k];
            i /= sample[k];
            int j = k - (sample.Length - slope.Length);
            if (j < 0 || slope[j] == 1) continue;
            index += coordinate * stride;
            stride *= slope[j];
        }
        return index;
    }

    [Fact]
    public void SettingsRoundTripAndBadOnesAreRefused()
    {
        Assert.Equal(0.5f, ((CeluOp)OpRegistry.Clone(new CeluOp(0.5f))).Alpha);
        Assert.Equal(new TensorShape(3, 1, 1), ((PReluOp)OpRegistry.Clone(new PReluOp(new TensorShape(3, 1, 1)))).SlopeShape);
        Assert.Equal("celu alpha must be a positive finite number, got 0.", Assert.Throws<ArgumentException>(() => new CeluOp(0)).Message);
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(CeluOp.Name).Set("alpha", -1.0)));
        Assert.Equal("celu attribute 'alpha' is -1, expected a positive finite number.", e.Message);
        var shape = Assert.Throws<ArgumentException>(() => new PReluOp(new TensorShape(3)).InferShapes([new TensorShape(4, 2)]));
        Assert.Equal("prelu slope [3] does not broadcast over samples of [4×2]: each of its sizes, aligned at the right, must be 1 or the sample's.", shape.Message);
    }
}
