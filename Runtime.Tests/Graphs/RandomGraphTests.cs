using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>
/// Seeded random DAGs of every op (fan-out, joins, views, values read twice by one node) to find what the hand-made
/// graphs miss in the arena layouts: whole-network gradient checks for training, and frozen against evaluation.
/// </summary>
public sealed class RandomGraphTests
{
    private const int Inputs = 6, Outputs = 3;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 24)];

    /// <summary>A random graph of 6 to 11 nodes; every value left unread at the end is joined into the output.</summary>
    private static Model Create(int seed, bool batchNormAndDropout, int maxBatch)
    {
        var random = new DeterministicRandom(seed, stream: 9);
        var g = new GraphBuilder();
        var values = new List<Value> { g.Input(new TensorShape(Inputs)) };
        var read = new HashSet<Value>();
        Value Pick()
        {
            // Recent values more often, so the graph grows deep as well as wide.
            int i = values.Count - 1 - Math.Min(values.Count - 1, random.NextInt32(3) == 0 ? random.NextInt32(values.Count) : random.NextInt32(2));
            read.Add(values[i]);
            return values[i];
        }
        ActivationKind Smooth() => random.NextInt32(4) switch
        {
            0 => ActivationKind.Tanh,
            1 => ActivationKind.Sigmoid,
            2 => ActivationKind.Softplus,
            _ => ActivationKind.Identity,
        };
        int nodes = 6 + random.NextInt32(6);
        for (int n = 0; n < nodes; n++)
        {
            var v = Pick();
            Value y;
            switch (random.NextInt32(batchNormAndDropout ? 9 : 7))
            {
                case 0 or 1:
                    y = g.Dense(v, 2 + random.NextInt32(6), Smooth());
                    break;
                case 2:
                    y = g.Activation(v, ActivationKind.Tanh);
                    break;
                case 3:
                {
                    // A partner of the same shape if there is one, else the value itself in both slots.
                    var same = values.Where(u => u != v && u.SampleShape == v.SampleShape).ToList();
                    var w = same.Count > 0 ? same[random.NextInt32(same.Count)] : v;
                    read.Add(w);
                    y = g.Add(v, w);
                    break;
                }
                case 4:
                {
                    var w = Pick();
                    y = g.Concat(-1, v, w);
                    break;
                }
                case 5:
                    y = v.SampleLength % 2 == 0 ? g.Flatten(g.Softmax(g.Reshape(v, 2, -1))) : g.Softmax(v);
                    break;
                case 6:
                    y = g.Single(new Simd.Runtime.Ops.AddOp(withBias: true), v);
                    break;
                case 7:
                    y = g.BatchNorm(v);
                    break;
                default:
                    y = g.Dropout(v, 0.3f);
                    break;
            }
            values.Add(y);
        }
        var unread = values.Where(v => !read.Contains(v)).ToArray();
        var joined = unread.Length == 1 ? unread[0] : g.Concat(-1, unread);
        g.Output(g.Dense(joined, Outputs));
        var model = g.Build(seed, maxBatch);
        // Biases and batch-norm parameters away from their initial values, so that every path carries a signal.
        var p = model.Parameters.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += (float)(random.NextNormal() * 0.2);
        return model;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GradientsOfTheWholeGraph(int seed)
    {
        const int rows = 4;
        using var model = Create(seed, batchNormAndDropout: false, maxBatch: rows);
        var x = TestModels.RandomArray(rows * Inputs, seed);
        var t = TestModels.RandomArray(rows * Outputs, seed + 100);
        // Deep stacks of sigmoids and softmaxes bend (a large step measures the bend) and the float forward is noisy
        // (a small one measures the noise): the tolerance is wider than the op tests'. What this hunts, a region the
        // layout shares while both are alive, is wrong by the size of the gradient itself.
        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), x, rows, default, t, step: 5e-3,
            absoluteTolerance: 5e-4, relativeTolerance: 2e-2);
        Assert.True(result.Passed, $"seed {seed}, {model.Graph}: {result}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FrozenGraphComputesWhatEvaluationDoes(int seed)
    {
        const int rows = 9;
        using var model = Create(seed, batchNormAndDropout: true, maxBatch: 16);
        var x = TestModels.RandomArray(rows * Inputs, seed);
        // A few training steps move the running statistics off their initial values.
        for (int step = 0; step < 3; step++) model.Forward(x, rows, training: true);
        var expected = new float[rows * Outputs];
        model.Predict(x, expected);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 16 });
        var output = new float[expected.Length];
        frozen.Predict(x, rows, output);
        for (int i = 0; i < output.Length; i++)
            Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])),
                $"seed {seed}, {model.Graph} frozen as {frozen.Describe()}: output {i} frozen {output[i]}, evaluated {expected[i]}");
    }
}
