using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Onnx;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The ONNX node cases for RNN, LSTM and GRU run straight through the ops (no importer): the node's W, R and B
/// copied unchanged into w, r and b, its settings mapped by hand, time-first tensors (layout 0) transposed to the
/// ops' batch-first layout here; every output the case holds (Y, Y_h) within 1e-5 of ONNX's.
/// </summary>
public sealed class RecurrentConformanceTests
{
    public static TheoryData<string> Cases() => new()
    {
        "test_lstm_batchwise", "test_lstm_with_initial_bias", "test_gru_batchwise", "test_gru_defaults", "test_gru_with_initial_bias",
        "test_simple_rnn_batchwise", "test_simple_rnn_defaults", "test_simple_rnn_with_initial_bias",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOnnxNodeCase(string name)
    {
        var c = ConformanceCase.Load(name);
        var node = c.Node;
        bool timeFirst = node.Int("layout", 0) == 0;
        int hidden = (int)node.Int("hidden_size", 0);
        var direction = node.String("direction", "forward") switch
        {
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            _ => RecurrentDirection.Forward,
        };
        Assert.Null(node.Attribute("activations"));   // the cases use the default activations (RNN: tanh)
        var x = c.Inputs[0];
        int steps = (int)x.Dims[timeFirst ? 0 : 1], batch = (int)x.Dims[timeFirst ? 1 : 0], features = (int)x.Dims[2];
        int dirs = direction == RecurrentDirection.Bidirectional ? 2 : 1;
        var input = new float[batch * steps * features];
        for (int n = 0; n < batch; n++)
            for (int t = 0; t < steps; t++)
                for (int f = 0; f < features; f++)
                    input[(n * steps + t) * features + f] = x.Floats[(timeFirst ? t * batch + n : n * steps + t) * features + f];

        for (int o = 0; o < c.Outputs.Length; o++)
        {
            int slot = Enumerable.Range(0, node.Outputs.Count).First(i => node.Outputs[i] == c.Model.Graph.Outputs[o].Name);
            var outputs = slot switch { 0 => RecurrentOutputs.Sequence, 1 => RecurrentOutputs.FinalState, _ => RecurrentOutputs.FinalCell };
            RecurrentOp op = node.OpType switch
            {
                "LSTM" => new LstmOp(hidden, direction, outputs),
                "GRU" => new GruOp(hidden, linearBeforeReset: node.Int("linear_before_reset", 0) == 1, direction, outputs),
                _ => new RnnOp(hidden, relu: false, direction, outputs),
            };
            var g = new GraphBuilder();
            g.Output(g.Single(op, g.Input(new TensorShape(steps, features))));
            using var model = g.Build(seed: 1, maxBatch: batch);
            c.Inputs[1].Floats.CopyTo(op.TensorData(op.TensorIndex("w")));
            c.Inputs[2].Floats.CopyTo(op.TensorData(op.TensorIndex("r")));
            if (c.Inputs.Length > 3) c.Inputs[3].Floats.CopyTo(op.TensorData(op.TensorIndex("b")));
            else op.TensorData(op.TensorIndex("b")).Clear();
            var y = model.Forward(input, batch, training: false);

            ReadOnlySpan<float> expected = c.Outputs[o].Floats;
            Assert.Equal(expected.Length, y.Length);
            for (int n = 0; n < batch; n++)
                for (int d = 0; d < dirs; d++)
                    for (int j = 0; j < hidden; j++)
                        for (int t = 0; t < (slot == 0 ? steps : 1); t++)
                        {
                            int ours = slot == 0 ? ((n * steps + t) * dirs + d) * hidden + j : (n * dirs + d) * hidden + j;
                            int theirs = slot == 0
                                ? (timeFirst ? ((t * dirs + d) * batch + n) * hidden + j : ours)
                                : (timeFirst ? (d * batch + n) * hidden + j : ours);
                            Assert.True(Math.Abs(y[ours] - expected[theirs]) <= 1e-5 * (1 + Math.Abs(expected[theirs])),
                                $"{name} output {c.Model.Graph.Outputs[o].Name} [n={n}, t={t}, d={d}, j={j}]: {y[ours]} against ONNX's {expected[theirs]}");
                        }
        }
    }
}
