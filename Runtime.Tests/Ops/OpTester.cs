using System.Globalization;
using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// What the reference forward of an op case sees: the batch and the op's tensors as double arrays (the finite
/// differences perturb these, so the reference must read them afresh on every call and change none of them).
/// </summary>
internal sealed class OpReferenceArgs(int rows, bool training, double[][] inputs, TensorShape[] inputShapes, Op op,
    Dictionary<string, double[]> tensors, DeterministicRandom random)
{
    public int Rows { get; } = rows;

    public bool Training { get; } = training;

    /// <summary>The node's inputs, [Rows × sample] each.</summary>
    public double[][] Inputs { get; } = inputs;

    public TensorShape[] InputShapes { get; } = inputShapes;

    /// <summary>The op under test (its settings).</summary>
    public Op Op { get; } = op;

    /// <summary>The op's dropout stream at the state its forward started from (rewound before every call).</summary>
    public DeterministicRandom Random { get; } = random;

    /// <summary>The op's named tensor.</summary>
    public double[] Tensor(string name) => tensors[name];
}

/// <summary>A plain loop, in double, that computes the outputs of an op case, [Rows × sample] each.</summary>
internal delegate double[][] OpReference(OpReferenceArgs args);

/// <summary>One op with its settings, the sample shapes of its inputs, and the reference it must agree with.</summary>
internal sealed record OpCase(string Name, Func<Op> Create, TensorShape[] InputShapes, OpReference Reference)
{
    /// <summary>Training mode (batch statistics, dropout masks) or evaluation.</summary>
    public bool Training { get; init; } = true;

    /// <summary>False where the op has no backward in this mode (BatchNorm in evaluation).</summary>
    public bool CheckBackward { get; init; } = true;

    /// <summary>Runs the op frozen (<see cref="Op.Prepare"/>: packed weights, folded statistics), evaluation only.</summary>
    public bool Prepared { get; init; }

    /// <summary>Which graph input feeds each node input (a value given twice: [0, 0]); null: input i feeds slot i.</summary>
    public int[]? NodeInputs { get; init; }

    /// <summary>Sets the op's tensors after <see cref="Op.Initialize"/>; null draws every trainable tensor from N(0, 0.5²).</summary>
    public Action<Op, DeterministicRandom>? Initialize { get; init; }

    public int[] Batches { get; init; } = OpTester.Batches;

    /// <summary>The values of graph input i at a batch of rows (sequence lengths, say), or null to draw them from N(0, 1).</summary>
    public Func<int, int, float[]?>? InputValues { get; init; }

    /// <summary>|op − reference| ≤ tolerance · (1 + |reference|).</summary>
    public double ForwardTolerance { get; init; } = 1e-5;

    /// <summary>Step of the central differences of the reference (in double, so it can be small).</summary>
    public double Step { get; init; } = 1e-5;

    /// <summary>The float backward passes where |analytic − numeric| ≤ absolute + relative · max(|analytic|, |numeric|).</summary>
    public double AbsoluteTolerance { get; init; } = 2e-5;

    public double RelativeTolerance { get; init; } = 2e-3;

    /// <summary>A kinked function (ReLU and the like): differences straddling a kink are skipped, at most a tenth of them.</summary>
    public bool NonSmooth { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// Tests any op on its own: builds a graph of one node (the loss is Σ wᵢ·yᵢ over its outputs with fixed random
/// weights w, so dLoss/dy = w), plans its training arena for the largest batch and, at every batch size in turn
/// (1, 2, 7, 32: smaller batches reuse the first rows), checks that
/// <list type="bullet">
/// <item>forward agrees with the case's plain reference;</item>
/// <item>backward's input and parameter gradients agree with central differences of the reference in double
/// (<see cref="GradientChecker.CheckFunction"/>; exact to about 1e-10, so what is left is the float backward's own
/// rounding), and overwrite what their regions held;</item>
/// <item>backward leaves the inputs and outputs as forward left them, and computes the same parameter gradients
/// when no input gradient is asked for;</item>
/// <item>in evaluation, a serving layout (the caller's input and output buffers) gives the same bits.</item>
/// </list>
/// The arena starts as NaN, so an op that reads memory it did not write shows it. The tests run at the width the
/// process was started with: the ISA matrix of CI runs them again under each forced SIMD_WIDTH.
/// </summary>
internal static class OpTester
{
    public static readonly int[] Batches = [1, 2, 7, 32];

    /// <summary>Elements checked by finite differences per input or tensor (evenly spaced); the rest are covered by smaller batches.</summary>
    private const int MaxChecked = 256;

    public static void Check(OpCase c)
    {
        int maxBatch = c.Batches.Max();
        var op = c.Create();
        var builder = new GraphBuilder();
        var inputs = c.InputShapes.Select(s => builder.Input(s)).ToArray();
        var outputs = builder.Node(op, c.NodeInputs is null ? inputs : [.. c.NodeInputs.Select(i => inputs[i])]);
        foreach (var output in outputs) builder.Output(output);
        var graph = builder.BuildGraph();
        var node = graph.Nodes[0];
        using var block = new ParameterBlock();
        op.ReserveTensors(block);
        block.Allocate();
        op.BindTensors(block);
        var random = new DeterministicRandom(Seed(c.Name), stream: 0);
        op.Initialize(random);
        if (c.Initialize is null) RandomizeTrainable(op, random);
        else c.Initialize(op, random);
        if (c.Prepared) op.Prepare();
        try
        {
            var layout = ArenaLayout.ForTraining(graph, maxBatch);
            using var arena = new AlignedBuffer(Math.Max(1, layout.Length));
            arena.Span.Fill(float.NaN);
            // Serving plans differently: the node reads the caller's input and writes the caller's output directly,
            // and only a frozen op runs there (an unprepared Dense or BatchNorm would ask for the scratch it uses in training).
            bool serving = !c.Training && (c.Prepared || op.ScratchLengths(maxBatch, training: true).Length == 0)
                && graph.Inputs.Count == 1 && node.Inputs.Count == 1 && node.Outputs.Count == 1;
            var servingLayout = serving ? ArenaLayout.ForInference(graph, maxBatch) : null;
            using var servingArena = new AlignedBuffer(Math.Max(1, servingLayout?.Length ?? 1));
            servingArena.Span.Fill(float.NaN);
            foreach (int rows in c.Batches)
            {
                var harness = new Harness(graph, node, op, layout, arena);
                CheckBatch(c, harness, rows);
                if (servingLayout is not null) CheckServing(c, harness, servingLayout, servingArena, rows);
            }
        }
        finally
        {
            op.ReleasePrepared();
        }
    }

    private static void CheckBatch(OpCase c, Harness h, int rows)
    {
        string where = $"{c.Name} at batch {rows}";
        var random = new DeterministicRandom(Seed(c.Name) + rows, stream: 2);
        var x = h.Graph.Inputs.Select(v => c.InputValues?.Invoke(v.Id, rows) ?? Normal(random, rows * v.SampleLength, 1.0)).ToArray();
        var w = h.Node.Outputs.Select(v => Normal(random, rows * v.SampleLength, 1.0)).ToArray();
        var dropout = new DeterministicRandom(rows, stream: 1);
        var dropoutState = new ulong[DeterministicRandom.StateLength];
        dropout.GetState(dropoutState);

        // Forward against the reference.
        var y = h.Forward(x, rows, c.Training, dropout, dropoutState);
        var referenceRandom = new DeterministicRandom(0);
        var tensors = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int t = 0; t < h.Op.Tensors.Count; t++) tensors[h.Op.Tensors[t].Name] = ToDouble(h.Op.TensorData(t));
        var graphX = x.Select(a => ToDouble(a)).ToArray();
        var args = new OpReferenceArgs(rows, c.Training, [.. h.Node.Inputs.Select(v => graphX[v.Id])], [.. h.Node.Inputs.Select(v => v.SampleShape)],
            h.Op, tensors, referenceRandom);
        double[][] Reference()
        {
            referenceRandom.SetState(dropoutState);
            return c.Reference(args);
        }
        var expected = Reference();
        Assert.True(expected.Length == y.Length, $"{where}: the reference gives {expected.Length} outputs, the op {y.Length}.");
        for (int o = 0; o < y.Length; o++)
        {
            Assert.True(expected[o].Length == y[o].Length, $"{where}: output {o} has {y[o].Length} values, the reference {expected[o].Length}.");
            for (int i = 0; i < y[o].Length; i++)
            {
                double e = expected[o][i], a = y[o][i];
                if (!(Math.Abs(a - e) <= c.ForwardTolerance * (1 + Math.Abs(e))))
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{where}: output {o}[{i}] (row {i / (y[o].Length / rows)}) is {a:G9}, the reference {e:G9}."));
            }
        }
        if (!c.CheckBackward) return;

        // Backward: the gradients, the contract on what it may touch, and the same parameter gradients without input gradients.
        var (inputGradients, parameterGradients) = h.Backward(rows, c.Training, w, inputGradients: true);
        for (int o = 0; o < y.Length; o++)
            Assert.True(y[o].AsSpan().SequenceEqual(h.Output(o, rows)), $"{where}: backward changed output {o}.");
        foreach (var v in h.Graph.Inputs)
            Assert.True(x[v.Id].AsSpan().SequenceEqual(h.Value(v, rows)), $"{where}: backward changed input {v.Id}.");
        h.Forward(x, rows, c.Training, dropout, dropoutState);
        var (_, withoutInputs) = h.Backward(rows, c.Training, w, inputGradients: false);
        for (int t = 0; t < parameterGradients.Length; t++)
            Assert.True(parameterGradients[t].AsSpan().SequenceEqual(withoutInputs[t]),
                $"{where}: the gradient of {h.Op.Tensors[t].Name} changes when no input gradient is asked for.");

        var targets = new List<GradientTarget>();
        foreach (var v in h.Graph.Inputs)
        {
            var values = graphX[v.Id];
            targets.Add(new($"input {v.Id}", values.Length, i => values[i], (i, d) => values[i] = d, inputGradients[v.Id]));
        }
        for (int t = 0; t < h.Op.Tensors.Count; t++)
        {
            if (!h.Op.Tensors[t].Trainable) continue;
            var values = tensors[h.Op.Tensors[t].Name];
            targets.Add(new(h.Op.Tensors[t].Name, values.Length, i => values[i], (i, d) => values[i] = d, parameterGradients[t]));
        }
        double Loss()
        {
            var outputs = Reference();
            double sum = 0;
            for (int o = 0; o < outputs.Length; o++)
                for (int i = 0; i < outputs[o].Length; i++) sum += w[o][i] * outputs[o][i];
            return sum;
        }
        var result = GradientChecker.CheckFunction(targets, Loss, c.Step, c.AbsoluteTolerance, c.RelativeTolerance, MaxChecked, skipKinks: c.NonSmooth);
        Assert.True(result.Passed, $"{where}: {result}");
        Assert.True(result.Skipped <= (result.Checked + result.Skipped) / 10 + 1, $"{where}: too many differences straddle a kink: {result}");
    }

    /// <summary>Evaluation through the serving layout gives the bits the training layout gave.</summary>
    private static void CheckServing(OpCase c, Harness h, ArenaLayout layout, AlignedBuffer arena, int rows)
    {
        var random = new DeterministicRandom(Seed(c.Name) + rows, stream: 3);
        var x = Normal(random, rows * h.Graph.Inputs[0].SampleLength, 1.0);
        var unused = new DeterministicRandom(0);
        var state = new ulong[DeterministicRandom.StateLength];
        unused.GetState(state);
        var expected = h.Forward([x], rows, training: false, unused, state)[0];
        var y = new float[expected.Length];
        h.Op.Forward(new OpContext(arena.Span, x, y, layout, h.Node, rows, training: false, threads: 1, random: null));
        Assert.True(expected.AsSpan().SequenceEqual(y), $"{c.Name} at batch {rows}: serving the op (the caller's input and output) differs from evaluating it.");
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var a = new double[values.Length];
        for (int i = 0; i < a.Length; i++) a[i] = values[i];
        return a;
    }

    /// <summary>A seed from the case's name (FNV-1a): every case draws its own values, the same on every run.</summary>
    private static long Seed(string name)
    {
        ulong hash = 14695981039346656037;
        foreach (char ch in name) hash = (hash ^ ch) * 1099511628211;
        return (long)(hash >> 1);
    }

    private static void RandomizeTrainable(Op op, DeterministicRandom random)
    {
        for (int t = 0; t < op.Tensors.Count; t++)
        {
            if (!op.Tensors[t].Trainable) continue;
            var data = op.TensorData(t);
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextNormal() * 0.5);
        }
    }

    public static float[] Normal(DeterministicRandom random, int length, double scale)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextNormal() * scale);
        return a;
    }

    /// <summary>Runs the one node over an arena planned for training, as the model does.</summary>
    private sealed class Harness(Graph graph, Node node, Op op, ArenaLayout layout, AlignedBuffer arena)
    {
        public Graph Graph { get; } = graph;

        public Node Node { get; } = node;

        public Op Op { get; } = op;

        public Span<float> Value(Value v, int rows) => arena.Span.Slice(layout.ValueOffsets[v.Id], rows * v.SampleLength);

        public Span<float> Output(int o, int rows) => Value(Node.Outputs[o], rows);

        public float[][] Forward(float[][] x, int rows, bool training, DeterministicRandom dropout, ulong[] dropoutState)
        {
            foreach (var v in Graph.Inputs) x[v.Id].CopyTo(Value(v, rows));
            dropout.SetState(dropoutState);
            Op.Forward(new OpContext(arena.Span, default, default, layout, Node, rows, training, threads: 1, dropout));
            return [.. Node.Outputs.Select(v => Value(v, rows).ToArray())];
        }

        /// <summary>dLoss/dInput of each graph input (when asked for) and dLoss/dTensor of each of the op's tensors.</summary>
        public (float[][] Inputs, float[][] Tensors) Backward(int rows, bool training, float[][] w, bool inputGradients)
        {
            Span<float> span = arena.Span;
            for (int o = 0; o < Node.Outputs.Count; o++)
                w[o].CopyTo(span.Slice(layout.GradientOffsets[Node.Outputs[o].Id], w[o].Length));
            // Poison what backward must overwrite: the input gradients' regions and the parameter gradients.
            for (int j = 0; j < Node.Inputs.Count; j++)
            {
                int offset = layout.InputGradientOffset(Node.Index, j, graphInputs: true);
                if (offset != ArenaLayout.None) span.Slice(offset, rows * Node.Inputs[j].SampleLength).Fill(float.NaN);
            }
            for (int t = 0; t < Op.Tensors.Count; t++)
                if (Op.Tensors[t].Trainable) Op.TensorGradient(t).Fill(float.NaN);
            Op.Backward(new OpContext(span, default, default, layout, Node, rows, training, threads: 1, random: null, inputGradients));
            if (inputGradients)
            {
                foreach (var (from, to, sampleLength) in layout.Accumulations(Node.Index))
                    Intrinsics.Elementwise.Axpy(1f, span.Slice(from, rows * sampleLength), span.Slice(to, rows * sampleLength));
            }
            var dx = Graph.Inputs.Select(v => inputGradients ? arena.Span.Slice(layout.GradientOffsets[v.Id], rows * v.SampleLength).ToArray() : []).ToArray();
            var dt = Enumerable.Range(0, Op.Tensors.Count).Select(t => Op.Tensors[t].Trainable ? Op.TensorGradient(t).ToArray() : []).ToArray();
            return (dx, dt);
        }
    }
}
