using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Initializers;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Ops;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// Stacked recurrent networks as models: the builder's layer count against chained references, gradients through
/// two layers against finite differences, the same bits at 1 and 2 threads, and a model file round trip.
/// </summary>
public sealed class RecurrentNetworkTests
{
    private const int Rows = 3;

    [Theory]
    [MemberData(nameof(RecurrentNetworks.Names), MemberType = typeof(RecurrentNetworks))]
    public void AStackOfLayersIsTheReferenceChained(string cell)
    {
        var g = new GraphBuilder();
        var input = g.Input(new TensorShape(5, 3));
        g.Output(RecurrentNetworks.Layer(g, cell, input, hidden: 4, RecurrentDirection.Bidirectional, returnSequence: false, layers: 3));
        using var model = g.Build(seed: 4, maxBatch: Rows);
        Assert.Equal(3, model.Nodes.Count);
        Assert.True(model.Nodes.Take(2).All(n => ((RecurrentOp)n.Op).ReturnsSequence));
        Assert.False(((RecurrentOp)model.Nodes[2].Op).ReturnsSequence);
        float[] x = TestModels.RandomArray(Rows * model.InputSize, 8);
        var y = model.Forward(x, Rows, training: false).ToArray();

        double[] expected = Array.ConvertAll(x, v => (double)v);
        TensorShape shape = model.InputShape;
        foreach (var node in model.Nodes)
        {
            var op = node.Op;
            var tensors = new Dictionary<string, double[]>(StringComparer.Ordinal);
            for (int t = 0; t < op.Tensors.Count; t++) tensors[op.Tensors[t].Name] = Array.ConvertAll(op.TensorData(t).ToArray(), v => (double)v);
            expected = RecurrentReference.Run(new OpReferenceArgs(Rows, false, [expected], [shape], op, tensors, new DeterministicRandom(0)))[0];
            shape = node.Outputs[0].SampleShape;
        }
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{cell} output {i}: {y[i]} against {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(RecurrentNetworks.Names), MemberType = typeof(RecurrentNetworks))]
    public void EveryLayerAndTheInputMatchFiniteDifferences(string cell)
    {
        using var model = RecurrentNetworks.Create(cell, Rows);
        float[] x = TestModels.RandomArray(Rows * model.InputSize, 12);
        int[] labels = [1, 3, 0];
        var loss = new SoftmaxCrossEntropyLoss();
        model.ComputeInputGradient = true;
        loss.Compute(model.Forward(x, Rows, training: true), Rows, model.OutputSize, labels, default, model.OutputGradient(Rows));
        model.Backward(Rows);
        var targets = new List<GradientTarget> { new("input", x.Length, i => x[i], (i, v) => x[i] = (float)v, model.InputGradient(Rows).ToArray()) };
        foreach (var node in model.Nodes)
        {
            var op = node.Op;
            for (int t = 0; t < op.Tensors.Count; t++)
            {
                int index = t;
                targets.Add(new($"{node.Name}.{op.Tensors[t].Name}", op.Tensors[t].Shape.Length, i => op.TensorData(index)[i],
                    (i, v) => op.TensorData(index)[i] = (float)v, op.TensorGradient(index).ToArray()));
            }
        }
        double Evaluate() => loss.Compute(model.Forward(x, Rows, training: true), Rows, model.OutputSize, labels, default, default);
        var result = GradientChecker.CheckFunction(targets, Evaluate, 3e-3, absoluteTolerance: 1e-3, relativeTolerance: 1e-2, maxPerTarget: 24,
            skipKinks: cell == "rnn-relu");
        Assert.True(result.Passed, $"{cell}: {result}");
    }

    [Theory]
    [MemberData(nameof(RecurrentNetworks.Names), MemberType = typeof(RecurrentNetworks))]
    public void OneAndTwoThreadsTrainTheSameBits(string cell)
    {
        float[] Train(int threads)
        {
            // Large enough that the GEMMs split across threads.
            using var model = RecurrentNetworks.Create(cell, maxBatch: 48, steps: 4, features: 40, hidden: 96);
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads });
            for (int step = 0; step < 2; step++)
            {
                float[] x = TestModels.RandomArray(48 * model.InputSize, 20 + step);
                int[] labels = [.. Enumerable.Range(0, 48).Select(i => (i * 5 + step) % RecurrentNetworks.Classes)];
                trainer.TrainBatch(x, 48, labels);
            }
            return model.Parameters.Parameters.ToArray();
        }
        Assert.Equal(Train(1), Train(2));
    }

    /// <summary>One LSTM node with all three outputs, each read by the classifier: trains, checks, and survives a model file.</summary>
    [Fact]
    public void AnLstmWithEveryOutputTrainsAndSurvivesSaveAndLoad()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(4, 3));
        var outputs = g.Node(new LstmOp(5, RecurrentDirection.Bidirectional, RecurrentOutputs.Sequence | RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell), x);
        Assert.Equal([new TensorShape(4, 10), new TensorShape(10), new TensorShape(10)], outputs.Select(v => v.SampleShape));
        g.Output(g.Dense(g.Concat(0, g.Flatten(outputs[0]), outputs[1], outputs[2]), 3));
        using var model = g.Build(seed: 6, maxBatch: Rows);
        float[] input = TestModels.RandomArray(Rows * model.InputSize, 50);
        int[] labels = [2, 0, 1];
        var loss = new SoftmaxCrossEntropyLoss();
        model.ComputeInputGradient = true;
        loss.Compute(model.Forward(input, Rows, training: true), Rows, model.OutputSize, labels, default, model.OutputGradient(Rows));
        model.Backward(Rows);
        var op = model.Nodes[0].Op;
        var targets = new List<GradientTarget> { new("input", input.Length, i => input[i], (i, v) => input[i] = (float)v, model.InputGradient(Rows).ToArray()) };
        for (int t = 0; t < op.Tensors.Count; t++)
        {
            int index = t;
            targets.Add(new(op.Tensors[t].Name, op.Tensors[t].Shape.Length, i => op.TensorData(index)[i], (i, v) => op.TensorData(index)[i] = (float)v,
                op.TensorGradient(index).ToArray()));
        }
        double Evaluate() => loss.Compute(model.Forward(input, Rows, training: true), Rows, model.OutputSize, labels, default, default);
        var result = GradientChecker.CheckFunction(targets, Evaluate, 3e-3, absoluteTolerance: 1e-3, relativeTolerance: 1e-2, maxPerTarget: 24);
        Assert.True(result.Passed, result.ToString());

        new Trainer(model, loss, new Adam()).TrainBatch(input, Rows, labels);
        var evaluation = new float[Rows * model.OutputSize];
        model.Predict(input, evaluation);
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "every-output.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: Rows);
        var reloaded = new float[evaluation.Length];
        loaded.Predict(input, reloaded);
        Assert.Equal(evaluation, reloaded);
    }

    [Theory]
    [MemberData(nameof(RecurrentNetworks.Names), MemberType = typeof(RecurrentNetworks))]
    public void ATrainedNetworkSurvivesSaveAndLoad(string cell)
    {
        using var model = RecurrentNetworks.Create(cell, Rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam());
        float[] x = TestModels.RandomArray(Rows * model.InputSize, 30);
        trainer.TrainBatch(x, Rows, [0, 1, 2]);
        var evaluation = new float[Rows * model.OutputSize];
        model.Predict(x, evaluation);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "sequence.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: Rows);
        Assert.Equal(model.Graph.Nodes.Select(n => n.Op.ToString()), loaded.Graph.Nodes.Select(n => n.Op.ToString()));
        Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
        var reloaded = new float[evaluation.Length];
        loaded.Predict(x, reloaded);
        Assert.Equal(evaluation, reloaded);

        // Frozen, the weights are packed once for GEMM: the same values, summed in another order than the training model's.
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        using var frozenLoaded = InferenceModel.Load(path, new InferenceOptions { MaxBatch = Rows });
        var served = new float[evaluation.Length];
        var servedLoaded = new float[evaluation.Length];
        frozen.Predict(x, Rows, served);
        frozenLoaded.Predict(x, Rows, servedLoaded);
        Assert.Equal(served, servedLoaded);
        for (int i = 0; i < served.Length; i++) Assert.True(Math.Abs(served[i] - evaluation[i]) <= 1e-5f * (1 + Math.Abs(evaluation[i])), $"{cell} output {i}");
    }
}
