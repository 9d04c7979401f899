using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>
/// Models of several inputs and outputs: an LSTM fed its sequence lengths and initial states as inputs, trained
/// through the model's indexed buffers and served frozen with one buffer per input and output; a model with two
/// outputs back-propagating a loss on both, or on one; clear messages where a single-buffer member meets such a model.
/// </summary>
public sealed class MultiInputModelTests
{
    private const int Steps = 6, Features = 3, Hidden = 5, Classes = 4;

    /// <summary>x [6, 3], initial hidden and cell [5], lengths [1] → LSTM final state → Dense → logits [4].</summary>
    private static Model Sequence(int maxBatch, bool initialState = true, bool lengths = true, long seed = 7)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(Steps, Features), "x");
        var h0 = initialState ? g.Input(new TensorShape(Hidden), "h0") : null;
        var c0 = initialState ? g.Input(new TensorShape(Hidden), "c0") : null;
        var n = lengths ? g.Input(new TensorShape(1), "lengths") : null;
        var h = g.Lstm(x, Hidden, returnSequence: false, initialHidden: h0, initialCell: c0, lengths: n);
        g.Output(g.Dense(h, Classes));
        return g.Build(seed, maxBatch);
    }

    private sealed record Batch(float[] X, float[] H0, float[] C0, float[] Lengths)
    {
        public ReadOnlyMemory<float>[] Inputs => [X, H0, C0, Lengths];
    }

    private static Batch Samples(int rows, int seed)
    {
        var lengths = new float[rows];
        for (int n = 0; n < rows; n++) lengths[n] = n % (Steps + 1);
        return new Batch(TestModels.RandomArray(rows * Steps * Features, seed), TestModels.RandomArray(rows * Hidden, seed + 1),
            TestModels.RandomArray(rows * Hidden, seed + 2), lengths);
    }

    [Fact]
    public void StepsPastALengthDoNotChangeTheOutputFrozenOrNot()
    {
        const int rows = 7;
        using var model = Sequence(maxBatch: 4);
        var batch = Samples(rows, 3);
        var expected = new float[rows * Classes];
        model.Predict(batch.Inputs, [expected]);

        // Whatever lies past each sample's length, NaN included, is never read.
        float[] padded = [.. batch.X];
        for (int n = 0; n < rows; n++)
            for (int t = (int)batch.Lengths[n]; t < Steps; t++)
                for (int f = 0; f < Features; f++) padded[(n * Steps + t) * Features + f] = float.NaN;
        var actual = new float[rows * Classes];
        model.Predict(new Batch(padded, batch.H0, batch.C0, batch.Lengths).Inputs, [actual]);
        Assert.Equal(expected, actual);

        // A sample of length 0 keeps its initial state: its logits are the Dense of h0.
        var dense = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().Single();
        for (int j = 0; j < Classes; j++)
        {
            double sum = dense.Bias[j];
            for (int i = 0; i < Hidden; i++) sum += batch.H0[i] * dense.Weights[i * Classes + j];
            Assert.Equal(sum, expected[j], 5);
        }

        // Frozen at batch 1 (the fused step), at 4 and at 7 (two calls of MaxBatch rows at most): the same logits.
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        Assert.Equal(4, frozen.InputCount);
        var served = new float[rows * Classes];
        frozen.Predict(batch.Inputs, rows, [served]);
        AssertClose(expected, served);
        for (int n = 0; n < rows; n++)
        {
            var one = new float[Classes];
            frozen.Predict([batch.X.AsMemory(n * Steps * Features, Steps * Features), batch.H0.AsMemory(n * Hidden, Hidden),
                batch.C0.AsMemory(n * Hidden, Hidden), batch.Lengths.AsMemory(n, 1)], 1, [one]);
            AssertClose(expected.AsSpan(n * Classes, Classes).ToArray(), one);
        }
    }

    [Fact]
    public void ZeroInitialStatesGiveTheModelWithoutThem()
    {
        const int rows = 3;
        using var withStates = Sequence(maxBatch: rows, lengths: false);
        using var without = Sequence(maxBatch: rows, initialState: false, lengths: false);
        float[] x = TestModels.RandomArray(rows * Steps * Features, 5);
        var a = new float[rows * Classes];
        var b = new float[rows * Classes];
        withStates.Predict([x, new float[rows * Hidden], new float[rows * Hidden]], [a]);
        without.Predict(x, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void TrainsThroughTheIndexedBuffersWithoutAllocating()
    {
        const int rows = 5;
        using var model = Sequence(maxBatch: rows);
        var batch = Samples(rows, 9);
        var optimizer = new Sgd();
        double Step()
        {
            batch.X.CopyTo(model.InputBuffer(0, rows));
            batch.H0.CopyTo(model.InputBuffer(1, rows));
            batch.C0.CopyTo(model.InputBuffer(2, rows));
            batch.Lengths.CopyTo(model.InputBuffer(3, rows));
            var logits = model.Forward(rows, training: true);
            // Loss: half the sum of squares of the logits; its gradient is the logits.
            double loss = 0;
            foreach (float v in logits) loss += 0.5 * v * v;
            logits.CopyTo(model.OutputGradient(0, rows));
            model.Backward(rows);
            optimizer.Step(model.Parameters, 0.05f);
            return loss;
        }
        double first = Step();
        for (int i = 0; i < 20; i++) Step();
        Assert.True(Step() < first, "the loss falls");
        Assert.Equal(0, Allocations.OnThisThread(() => Step()));

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        ReadOnlyMemory<float>[] inputs = batch.Inputs;
        Memory<float>[] outputs = [new float[rows * Classes]];
        frozen.Predict(inputs, rows, outputs);
        Assert.Equal(0, Allocations.OnThisThread(() => frozen.Predict(inputs, rows, outputs)));
    }

    [Fact]
    public void InputGradientsReachTheInitialStatesButNotTheLengths()
    {
        const int rows = 2;
        using var model = Sequence(maxBatch: rows);
        var batch = Samples(rows, 11);
        batch.Lengths[0] = 3;
        batch.Lengths[1] = 0;
        model.ComputeInputGradient = true;
        for (int k = 0; k < 4; k++) batch.Inputs[k].Span.CopyTo(model.InputBuffer(k, rows));
        var logits = model.Forward(rows, training: true);
        logits.CopyTo(model.OutputGradient(0, rows));
        model.Backward(rows);
        float[] dh0 = model.InputGradient(1, rows).ToArray();
        Assert.Contains(dh0[..Hidden], v => v != 0);
        Assert.Contains(dh0[Hidden..], v => v != 0);   // length 0: the initial state is the final state

        // Finite differences on h0 of sample 0 (loss = ½ Σ logits²).
        const double eps = 1e-3;
        double Loss(float[] h0)
        {
            var y = new float[rows * Classes];
            model.Predict([batch.X, h0, batch.C0, batch.Lengths], [y]);
            return y.Sum(v => 0.5 * v * v);
        }
        for (int i = 0; i < Hidden; i++)
        {
            float[] plus = [.. batch.H0], minus = [.. batch.H0];
            plus[i] += (float)eps;
            minus[i] -= (float)eps;
            double numeric = (Loss(plus) - Loss(minus)) / (2 * eps);
            Assert.True(Math.Abs(numeric - dh0[i]) <= 2e-3 * (1 + Math.Abs(numeric)), $"dLoss/dh0[{i}]: backward {dh0[i]}, finite differences {numeric}");
        }
        Assert.All(model.InputGradient(3, rows).ToArray(), v => Assert.Equal(0f, v));
    }

    /// <summary>Two heads over one trunk: x → Dense → ReLU, then Dense → a [3] and Dense → b [2].</summary>
    private static Model TwoHeads(int maxBatch)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(4));
        var trunk = g.Dense(x, 6, ActivationKind.Relu);
        g.Output(g.Dense(trunk, 3));
        g.Output(g.Dense(trunk, 2));
        return g.Build(3, maxBatch);
    }

    [Fact]
    public void TwoOutputsBackPropagateWhatTheLossGivesEach()
    {
        const int rows = 3;
        using var model = TwoHeads(rows);
        float[] x = TestModels.RandomArray(rows * 4, 13);
        Assert.Equal(2, model.OutputCount);

        float[] Gradients(bool both)
        {
            x.CopyTo(model.InputBuffer(0, rows));
            model.Forward(rows, training: true);
            model.Output(0, rows).CopyTo(model.OutputGradient(0, rows));
            if (both) model.Output(1, rows).CopyTo(model.OutputGradient(1, rows));
            model.Backward(rows);
            return model.Parameters.Gradients.ToArray();
        }
        // A loss on both heads first, so the second head's gradient buffer holds something; then on the first alone:
        // the second head's weights get no gradient (the forward call zeroed its output's gradient).
        float[] bothHeads = Gradients(both: true);
        float[] onlyFirst = Gradients(both: false);
        var second = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().Last();
        Assert.All(second.WeightGradients.ToArray(), v => Assert.Equal(0f, v));
        Assert.NotEqual(onlyFirst, bothHeads);
        Gradients(both: true);

        // Against finite differences of ½|a|² + ½|b|² on the first layer's weights.
        var first = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().First();
        float[] analytic = first.WeightGradients.ToArray();
        double Loss()
        {
            var a = new float[rows * 3];
            var b = new float[rows * 2];
            model.Predict([x], [a, b]);
            return a.Sum(v => 0.5 * v * v) + b.Sum(v => 0.5 * v * v);
        }
        Span<float> w = first.Weights;
        for (int i = 0; i < w.Length; i += 5)
        {
            float keep = w[i];
            w[i] = keep + 1e-3f;
            double plus = Loss();
            w[i] = keep - 1e-3f;
            double minus = Loss();
            w[i] = keep;
            double numeric = (plus - minus) / 2e-3;
            Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 * (1 + Math.Abs(numeric)), $"weight {i}: backward {analytic[i]}, finite differences {numeric}");
        }
    }

    [Fact]
    public void SaveLoadAndFreezeKeepEveryInputAndOutput()
    {
        const int rows = 4;
        using var model = Sequence(maxBatch: rows);
        var batch = Samples(rows, 17);
        var expected = new float[rows * Classes];
        model.Predict(batch.Inputs, [expected]);
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "lengths.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: rows);
        Assert.Equal(4, loaded.InputCount);
        var again = new float[rows * Classes];
        loaded.Predict(batch.Inputs, [again]);
        Assert.Equal(expected, again);
        using var served = InferenceModel.Load(path, new InferenceOptions { MaxBatch = rows });
        var frozen = new float[rows * Classes];
        served.Predict(batch.Inputs, rows, [frozen]);
        AssertClose(expected, frozen);

        using var heads = TwoHeads(rows);
        float[] x = TestModels.RandomArray(rows * 4, 19);
        float[] a = new float[rows * 3], b = new float[rows * 2];
        heads.Predict([x], [a, b]);
        string headsPath = Path.Combine(dir.Path, "heads.model");
        heads.Save(headsPath);
        using var frozenHeads = InferenceModel.Load(headsPath, new InferenceOptions { MaxBatch = rows });
        Assert.Equal(2, frozenHeads.OutputCount);
        float[] a2 = new float[rows * 3], b2 = new float[rows * 2];
        frozenHeads.Predict([x], rows, [a2, b2]);
        AssertClose(a, a2);
        AssertClose(b, b2);
    }

    [Fact]
    public void SingleBufferMembersNameTheInputsTheyCannotTake()
    {
        using var model = Sequence(maxBatch: 2);
        var ex = Assert.Throws<InvalidOperationException>(() => model.InputSize);
        Assert.Contains("4 inputs ('x' [6×3], 'h0' [5], 'c0' [5] and 'lengths' [1])", ex.Message);
        Assert.Contains("InputBuffer(input, rows)", ex.Message);
        Assert.Throws<InvalidOperationException>(() => model.Predict(new float[18], new float[4]));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => model.InputBuffer(4, 1));
        Assert.Contains("inputs 0..3", range.Message);
        var count = Assert.Throws<ArgumentException>(() => model.Predict([new float[18]], [new float[4]]));
        Assert.Contains("expected 4 input buffers and 1 output buffer, got 1 and 1", count.Message);
        var length = Assert.Throws<ArgumentException>(() => model.Predict([new float[18], new float[5], new float[5], new float[2]], [new float[4]]));
        Assert.Contains("'lengths' has 2 floats; expected 1 sample × 1 ([1]) = 1", length.Message);

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 2 });
        var single = Assert.Throws<InvalidOperationException>(() => frozen.Predict(new float[18], new float[4]));
        Assert.Contains("pass one buffer per input and output", single.Message);
        Assert.Throws<InvalidOperationException>(() => frozen.PredictClass(new float[18]));
        var badLength = Assert.Throws<ArgumentException>(() => frozen.Predict([new float[18], new float[5], new float[5], new float[1]], 1, [new float[3]]));
        Assert.Contains("output 'dense0", badLength.Message);
        var badLengths = Assert.Throws<ArgumentException>(() => frozen.Predict([new float[18], new float[5], new float[5], new float[] { 9 }], 1, [new float[4]]));
        Assert.Contains("the length of sample 0 is 9", badLengths.Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"output {i}: {actual[i]} vs {expected[i]}");
    }
}
