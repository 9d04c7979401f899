using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// How the importer maps LSTM, GRU and RNN nodes and the axis ops around them, and what it refuses: each refusal
/// names the node, its op and what was wrong, before any weight is copied.
/// </summary>
public sealed class RecurrentImportTests
{
    private const int Steps = 3, Features = 2, Hidden = 2;

    /// <summary>An LSTM over X [N, 3, 2] with hidden 2 whose graph output is Y_h [N, 1, 2] (a reshape of its [2] per sample); the given attributes come first, so they win.</summary>
    private static byte[] Lstm(string[] inputs, Action<ProtoWriter>[] attributes, Action<ProtoWriter>[]? extra = null,
        Action<ProtoWriter>[]? extraInputs = null, string[]? outputs = null, Action<ProtoWriter>[]? nodesBefore = null,
        Action<ProtoWriter>[]? nodesAfter = null, string output = "y_h", long?[]? outputShape = null, string op = "LSTM", int gates = 4)
    {
        Action<ProtoWriter>[] weights =
        [
            Tensor("w", [1, gates * Hidden, Features], Values(gates * Hidden * Features, 0.1f)),
            Tensor("r", [1, gates * Hidden, Hidden], Values(gates * Hidden * Hidden, -0.05f)),
        ];
        return Model(
            [.. nodesBefore ?? [], Node(op, inputs, outputs ?? ["", "y_h"], [.. attributes, IntAttribute("hidden_size", Hidden)]), .. nodesAfter ?? []],
            [.. weights, .. extra ?? []],
            [Value("x", [null, Steps, Features]), .. extraInputs ?? []],
            [Value(output, outputShape ?? [null, 1, Hidden])],
            opset: 17);
    }

    private static Action<ProtoWriter>[] Batch1 => [IntAttribute("layout", 1)];

    private static float[] Values(int count, float scale) => [.. Enumerable.Range(0, count).Select(i => scale * ((i % 7) - 3))];

    private static Action<ProtoWriter> Int64Tensor(string name, long[] dims, long[] values) => w => w.PackedInts(1, dims).Int(2, 7).PackedInts(7, values).String(8, name);

    private static Action<ProtoWriter> TensorAttribute(string name, Action<ProtoWriter> tensor) => w => w.String(1, name).Message(5, tensor).Int(20, 4);

    private static OnnxImportException Refused(byte[] model, string node, string op, params string[] parts)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model));
        Assert.Equal((node, op), (e.Node, e.OpType));
        foreach (string part in parts) Assert.Contains(part, e.Message);
        return e;
    }

    [Fact]
    public void LayoutOneMapsTheFinalStateOnly()
    {
        using Model model = OnnxImporter.Import(Lstm(["x", "w", "r"], Batch1)).Model;
        var op = Assert.Single(model.Ops.OfType<LstmOp>());
        Assert.Equal((RecurrentOutputs.FinalState, false), (op.Outputs, op.HasInitialState));
        Assert.Equal(new TensorShape(1, Hidden), model.Graph.Outputs[0].SampleShape);
    }

    [Fact]
    public void TheSameWeightsGiveWhatTheOpGivesThem()
    {
        // Y of layout 1 [N, 3, 1, 2], flattened into [N, 6]: the steps reach the Flatten as the op computes them.
        byte[] onnx = Lstm(["x", "w", "r"], Batch1, outputs: ["y", ""],
            nodesAfter: [Node("Flatten", ["y"], ["flat"], IntAttribute("axis", 1))], output: "flat", outputShape: [null, Steps * Hidden]);
        using Model imported = OnnxImporter.Import(onnx).Model;
        var g = new GraphBuilder();
        var lstm = new LstmOp(Hidden);
        g.Output(g.Single(new FlattenOp(), g.Single(lstm, g.Input(new TensorShape(Steps, Features)))));
        using Model built = g.Build(seed: 1);
        Values(4 * Hidden * Features, 0.1f).CopyTo(lstm.InputWeights);
        Values(4 * Hidden * Hidden, -0.05f).CopyTo(lstm.RecurrentWeights);
        lstm.Bias.Clear();
        float[] x = Values(2 * Steps * Features, 0.3f);
        Assert.Equal(built.Forward(x, 2, training: false).ToArray(), imported.Forward(x, 2, training: false).ToArray());
    }

    [Fact]
    public void RnnReluAndZeroInitialStatesMap()
    {
        byte[] onnx = Lstm(["x", "w", "r", "", "", "h0"], [.. Batch1, StringsAttribute("activations", "Relu")],
            extra: [Tensor("h0", [1, 1, Hidden], [0, 0])], op: "RNN", gates: 1);
        using Model model = OnnxImporter.Import(onnx).Model;
        var op = Assert.Single(model.Ops.OfType<RnnOp>());
        Assert.True(op.Relu);
        Assert.False(op.HasInitialState);
    }

    /// <summary>An encoder's final states as a decoder's initial ones: both LSTMs read X (layout 1).</summary>
    private static byte[] EncoderDecoder(string[] decoderInputs)
    {
        float[] w = Values(4 * Hidden * Features, 0.1f), r = Values(4 * Hidden * Hidden, -0.05f), b = Values(8 * Hidden, 0.02f);
        return Model(
            [
                Node("LSTM", ["x", "w", "r", "b"], ["", "h", "c"], IntAttribute("hidden_size", Hidden), IntAttribute("layout", 1)),
                Node("LSTM", decoderInputs, ["", "y_h"], IntAttribute("hidden_size", Hidden), IntAttribute("layout", 1)),
            ],
            [Tensor("w", [1, 4 * Hidden, Features], w), Tensor("r", [1, 4 * Hidden, Hidden], r), Tensor("b", [1, 8 * Hidden], b),
             Tensor("w2", [1, 4 * Hidden, Features], [.. w.Reverse()]), Tensor("r2", [1, 4 * Hidden, Hidden], [.. r.Reverse()])],
            [Value("x", [null, Steps, Features])], [Value("y_h", [null, 1, Hidden])], opset: 17);
    }

    [Fact]
    public void ComputedInitialStatesAreTheOpsInitialStateInputs()
    {
        using Model imported = OnnxImporter.Import(EncoderDecoder(["x", "w2", "r2", "", "", "h", "c"])).Model;
        var g = new GraphBuilder();
        var encoder = new LstmOp(Hidden, outputs: RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell);
        var decoder = new LstmOp(Hidden, outputs: RecurrentOutputs.FinalState, initialState: true);
        Value x = g.Input(new TensorShape(Steps, Features));
        IReadOnlyList<Value> states = g.Node(encoder, x);
        g.Output(g.Single(decoder, x, states[0], states[1]));
        using Model built = g.Build(seed: 1);
        Values(4 * Hidden * Features, 0.1f).CopyTo(encoder.InputWeights);
        Values(4 * Hidden * Hidden, -0.05f).CopyTo(encoder.RecurrentWeights);
        Values(8 * Hidden, 0.02f).CopyTo(encoder.Bias);
        Values(4 * Hidden * Features, 0.1f).Reverse().ToArray().CopyTo(decoder.InputWeights);
        Values(4 * Hidden * Hidden, -0.05f).Reverse().ToArray().CopyTo(decoder.RecurrentWeights);
        decoder.Bias.Clear();
        Assert.True(Assert.Single(imported.Ops.OfType<LstmOp>(), o => o.HasInitialState) is { Outputs: RecurrentOutputs.FinalState });
        float[] input = Values(2 * Steps * Features, 0.3f);
        Assert.Equal(built.Forward(input, 2, training: false).ToArray(), imported.Forward(input, 2, training: false).ToArray());
    }

    [Fact]
    public void AnLstmGivenOnlyOneInitialStateIsRefused() =>
        Refused(EncoderDecoder(["x", "w2", "r2", "", "", "h"]), "LSTM_", "LSTM", "gives initial_h or initial_c but not both");

    [Fact]
    public void GruTakesLinearBeforeResetBothWays()
    {
        foreach (long linear in new long[] { 0, 1 })
        {
            using Model model = OnnxImporter.Import(Lstm(["x", "w", "r"], [.. Batch1, IntAttribute("linear_before_reset", linear)], op: "GRU", gates: 3)).Model;
            Assert.Equal(linear == 1, Assert.Single(model.Ops.OfType<GruOp>()).LinearBeforeReset);
        }
    }

    [Fact]
    public void OtherActivationsAreRefusedNamingThem() =>
        Refused(Lstm(["x", "w", "r"], [.. Batch1, StringsAttribute("activations", "Sigmoid", "Tanh", "Relu")]), "LSTM_", "LSTM",
            "ONNX node 'LSTM_", "attribute 'activations' is [Sigmoid, Tanh, Relu]", "[Sigmoid, Tanh, Tanh]");

    [Fact]
    public void ClipInputForgetAndPeepholesAreRefused()
    {
        Refused(Lstm(["x", "w", "r"], [.. Batch1, FloatAttribute("clip", 3)]), "LSTM_", "LSTM", "attribute 'clip' is set");
        Refused(Lstm(["x", "w", "r"], [.. Batch1, IntAttribute("input_forget", 1)]), "LSTM_", "LSTM", "attribute 'input_forget' is 1");
        Refused(Lstm(["x", "w", "r", "", "", "", "", "p"], Batch1, extra: [Tensor("p", [1, 3 * Hidden], new float[3 * Hidden])]), "LSTM_", "LSTM",
            "input 7 (P) 'p' gives peepholes");
        Refused(Lstm(["x", "w", "r"], [.. Batch1, FloatsAttribute("activation_alpha", 0.5f)]), "LSTM_", "LSTM", "attribute 'activation_alpha' is set");
    }

    [Fact]
    public void SequenceLengthsMapOnlyWhenTheyAreTheSequenceLength()
    {
        using (Model model = OnnxImporter.Import(Lstm(["x", "w", "r", "", "len"], Batch1, extra: [Int32Tensor("len", [2], [Steps, Steps])])).Model)
            Assert.False(Assert.Single(model.Ops.OfType<LstmOp>()).HasLengths);
        Refused(Lstm(["x", "w", "r", "", "len"], Batch1, extra: [Int32Tensor("len", [2], [Steps, 1])]), "LSTM_", "LSTM",
            "sequence_lens 'len' is a constant holding 1", "3 steps of X", "feed the lengths as a graph input");
        Refused(Lstm(["x", "w", "r", "", "len"], Batch1, extra: [Int64Tensor("len", [1], [Steps])]), "LSTM_", "LSTM",
            "sequence_lens 'len' holds Int64; ONNX defines it as Int32");
    }

    /// <summary>An Int32 tensor value info [N] (sequence_lens as a graph input).</summary>
    private static Action<ProtoWriter> Int32Lengths(string name) => w => w.String(1, name).Message(2, type =>
        type.Message(1, tensor => tensor.Int(1, 6).Message(2, s => s.Message(1, dim => dim.String(2, "N")))));

    [Fact]
    public void LengthsAndStatesAsGraphInputsAreFedPerSample()
    {
        // Layout 1: X [N, 3, 2], sequence_lens [N] (Int32 in ONNX, one float per sample in the model), initial_h and
        // initial_c [N, 1, 2]; Y_h [N, 1, 2] out.
        byte[] onnx = Lstm(["x", "w", "r", "", "len", "h0", "c0"], Batch1,
            extraInputs: [Int32Lengths("len"), Value("h0", [null, 1, Hidden]), Value("c0", [null, 1, Hidden])]);
        OnnxImportResult imported = OnnxImporter.Import(onnx);
        using Model model = imported.Model;
        Assert.Equal(4, model.InputCount);
        Assert.Equal([0, 0, 0, 0], imported.InputBatchAxes);
        LstmOp op = Assert.Single(model.Ops.OfType<LstmOp>());
        Assert.True(op.HasLengths && op.HasInitialState);

        // The same LSTM built here with the same weights: bit for bit the same final states.
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(Steps, Features));
        var h0 = g.Input(new TensorShape(Hidden));
        var c0 = g.Input(new TensorShape(Hidden));
        var len = g.Input(new TensorShape(1));
        g.Output(g.Lstm(x, Hidden, returnSequence: false, initialHidden: h0, initialCell: c0, lengths: len));
        using Model native = g.Build(1, 4);
        LstmOp mine = native.Ops.OfType<LstmOp>().Single();
        op.InputWeights.CopyTo(mine.InputWeights);
        op.RecurrentWeights.CopyTo(mine.RecurrentWeights);
        op.Bias.CopyTo(mine.Bias);

        const int rows = 4;
        float[] xs = [.. Enumerable.Range(0, rows * Steps * Features).Select(i => MathF.Sin(i))];
        float[] hs = [.. Enumerable.Range(0, rows * Hidden).Select(i => 0.3f * MathF.Cos(i))];
        float[] cs = [.. Enumerable.Range(0, rows * Hidden).Select(i => 0.2f * MathF.Sin(3 * i))];
        float[] lengths = [3, 0, 1, 2];
        var expected = new float[rows * Hidden];
        var actual = new float[rows * Hidden];
        native.Predict([xs, hs, cs, lengths], [expected]);
        model.Predict([xs, lengths, hs, cs], [actual]);
        Assert.Equal(expected, actual);
        Assert.Equal(hs.AsSpan(Hidden, Hidden).ToArray(), actual.AsSpan(Hidden, Hidden).ToArray());   // length 0 keeps h0
    }

    [Fact]
    public void TimeFirstStatesAsGraphInputsTakeTheirBatchFirst()
    {
        // Layout 0: X [3, N, 2] and initial_h [1, N, 2] are both time-first in ONNX; the model takes each batch-first.
        byte[] onnx = Model([Node("GRU", ["x", "w", "r", "", "", "h0"], ["", "y_h"], IntAttribute("hidden_size", Hidden))],
            [Tensor("w", [1, 3 * Hidden, Features], Values(3 * Hidden * Features, 0.1f)), Tensor("r", [1, 3 * Hidden, Hidden], Values(3 * Hidden * Hidden, 0.1f))],
            [Value("x", [Steps, null, Features]), Value("h0", [1, null, Hidden])], [Value("y_h", [1, null, Hidden])], opset: 17);
        OnnxImportResult imported = OnnxImporter.Import(onnx);
        Assert.Equal([1, 1], imported.InputBatchAxes);
        Assert.Equal([1], imported.OutputBatchAxes);
        using Model model = imported.Model;
        Assert.Equal(new TensorShape(1, Hidden), model.Graph.Inputs[1].SampleShape);   // [directions, hidden] per sample, as ONNX orders it
    }

    [Fact]
    public void NonZeroConstantStatesAreRefused() =>
        Refused(Lstm(["x", "w", "r", "", "", "h0", "c0"], Batch1, extra: [Tensor("h0", [1, 1, Hidden], [1, 0]), Tensor("c0", [1, 1, Hidden], [0, 0])]),
            "LSTM_", "LSTM", "initial_h 'h0' is a constant other than zeros");

    [Fact]
    public void WeightsOfAnotherShapeAreRefused() =>
        Refused(Lstm(["x", "w", "r"], [.. Batch1, IntAttribute("hidden_size", 3)]), "LSTM_", "LSTM",
            "W 'w' has shape [1, 8, 2]; expected [1, 12, 2]");

    [Fact]
    public void TimeFirstLayoutNeedsTheBatchOnAxisOne() =>
        // A Relu makes X a batch-first value: layout 0 would read its batch as the steps.
        Refused(Lstm(["rx", "w", "r"], [], nodesBefore: [Node("Relu", ["x"], ["rx"])], outputShape: [1, null, Hidden]), "LSTM_", "LSTM",
            "X 'rx' is [N, 3, 2]; layout 0 reads [steps, N, features]", "perm [1, 0, 2]");

    [Fact]
    public void TimeFirstTensorsReachOtherOpsOnlyTransposedBack() =>
        // Layout 0 with X the graph input: X is taken time-first ([3, N, 2] in ONNX), Y_h [1, N, 2] has the batch on axis 1.
        Refused(Model(
                [Node("LSTM", ["x", "w", "r"], ["", "y_h"], IntAttribute("hidden_size", Hidden)), Node("Relu", ["y_h"], ["out"])],
                [Tensor("w", [1, 4 * Hidden, Features], Values(4 * Hidden * Features, 0.1f)), Tensor("r", [1, 4 * Hidden, Hidden], Values(4 * Hidden * Hidden, 0.1f))],
                [Value("x", [Steps, null, Features])], [Value("out", [1, null, Hidden])], opset: 17),
            "Relu_out", "Relu", "input 0 'y_h' is [1, N, 2], with the batch N on axis 1 (time-first)");

    [Fact]
    public void ATimeFirstGraphInputAndOutputReportTheirBatchAxes()
    {
        byte[] onnx = Model([Node("GRU", ["x", "w", "r"], ["y"], IntAttribute("hidden_size", Hidden))],
            [Tensor("w", [1, 3 * Hidden, Features], Values(3 * Hidden * Features, 0.1f)), Tensor("r", [1, 3 * Hidden, Hidden], Values(3 * Hidden * Hidden, 0.1f))],
            [Value("x", [Steps, null, Features])], [Value("y", [Steps, 1, null, Hidden])], opset: 17);
        OnnxImportResult imported = OnnxImporter.Import(onnx);
        using Model model = imported.Model;
        Assert.Equal((1, 2), (imported.InputBatchAxis, imported.OutputBatchAxis));
        Assert.Equal(new TensorShape(Steps, Features), model.Graph.Inputs[0].SampleShape);
        Assert.Equal(new TensorShape(Steps, 1, Hidden), model.Graph.Outputs[0].SampleShape);
    }

    [Fact]
    public void ABidirectionalTimeFirstYIsTheOpsSequence()
    {
        // Y [3, 2, N, 2] (layout 0, both directions) comes out as [N, 3, 2, 2]: the op's [steps, directions·hidden].
        float[] w = Values(2 * 3 * Hidden * Features, 0.1f), r = Values(2 * 3 * Hidden * Hidden, -0.05f), b = Values(2 * 6 * Hidden, 0.03f);
        byte[] onnx = Model([Node("GRU", ["x", "w", "r", "b"], ["y"], IntAttribute("hidden_size", Hidden), StringAttribute("direction", "bidirectional"))],
            [Tensor("w", [2, 3 * Hidden, Features], w), Tensor("r", [2, 3 * Hidden, Hidden], r), Tensor("b", [2, 6 * Hidden], b)],
            [Value("x", [Steps, null, Features])], [Value("y", [Steps, 2, null, Hidden])], opset: 17);
        OnnxImportResult imported = OnnxImporter.Import(onnx);
        using Model model = imported.Model;
        Assert.Equal((1, 2), (imported.InputBatchAxis, imported.OutputBatchAxis));
        Assert.Equal(new TensorShape(Steps, 2, Hidden), model.Graph.Outputs[0].SampleShape);
        var g = new GraphBuilder();
        var gru = new GruOp(Hidden, linearBeforeReset: false, RecurrentDirection.Bidirectional);
        g.Output(g.Single(gru, g.Input(new TensorShape(Steps, Features))));
        using Model built = g.Build(seed: 1);
        w.CopyTo(gru.InputWeights);
        r.CopyTo(gru.RecurrentWeights);
        b.CopyTo(gru.Bias);
        float[] x = Values(2 * Steps * Features, 0.3f);
        Assert.Equal(built.Forward(x, 2, training: false).ToArray(), model.Forward(x, 2, training: false).ToArray());
    }

    [Fact]
    public void GatherOfTheLastStepOfAReverseNodeIsRefused()
    {
        byte[] onnx = Lstm(["x", "w", "r"], [.. Batch1, StringAttribute("direction", "reverse")], outputs: ["y", ""],
            extra: [Int64Tensor("last", [], [-1])],
            nodesAfter: [Node("Gather", ["y", "last"], ["g"], IntAttribute("axis", 1))], output: "g", outputShape: [null, 1, Hidden]);
        Refused(onnx, "Gather_g", "Gather", "Gather picks entry -1 of axis 1 of [N, 3, 1, 2]", "forward");
    }

    [Fact]
    public void AZeroInitialStateSizedByTheBatchAddsNothing()
    {
        // PyTorch's pattern: Shape(X) → Gather(0) → Unsqueeze → Concat([1], N, [hidden]) → ConstantOfShape(0).
        byte[] onnx = Model(
            [
                Node("Shape", ["x"], ["shape"]),
                Node("Constant", [], ["zero"], TensorAttribute("value", Int64Tensor("", [], [0]))),
                Node("Gather", ["shape", "zero"], ["n"], IntAttribute("axis", 0)),
                Node("Constant", [], ["axes"], TensorAttribute("value", Int64Tensor("", [1], [0]))),
                Node("Unsqueeze", ["n", "axes"], ["n1"]),
                Node("Constant", [], ["one"], TensorAttribute("value", Int64Tensor("", [1], [1]))),
                Node("Constant", [], ["hidden"], TensorAttribute("value", Int64Tensor("", [1], [Hidden]))),
                Node("Concat", ["one", "n1", "hidden"], ["state_shape"], IntAttribute("axis", 0)),
                Node("ConstantOfShape", ["state_shape"], ["h0"], TensorAttribute("value", Tensor("", [1], [0]))),
                Node("Transpose", ["x"], ["xt"], IntsAttribute("perm", 1, 0, 2)),
                Node("RNN", ["xt", "w", "r", "", "", "h0"], ["y", "y_h"], IntAttribute("hidden_size", Hidden)),
                Node("Squeeze", ["y_h", "axes"], ["out"]),
            ],
            [Tensor("w", [1, Hidden, Features], Values(Hidden * Features, 0.1f)), Tensor("r", [1, Hidden, Hidden], Values(Hidden * Hidden, 0.1f))],
            [Value("x", [null, Steps, Features])], [Value("out", [null, Hidden])], opset: 17);
        OnnxImportResult imported = OnnxImporter.Import(onnx);
        using Model model = imported.Model;
        var op = Assert.Single(model.Ops.OfType<RnnOp>());
        Assert.Equal((RecurrentOutputs.FinalState, false), (op.Outputs, op.HasInitialState));
        Assert.Equal((0, 0), (imported.InputBatchAxis, imported.OutputBatchAxis));
        Assert.Equal(new TensorShape(Hidden), model.Graph.Outputs[0].SampleShape);
    }

    [Fact]
    public void ANonZeroFillIsRefused()
    {
        byte[] onnx = Model(
            [
                Node("Shape", ["x"], ["shape"]),
                Node("Constant", [], ["pick"], TensorAttribute("value", Int64Tensor("", [3], [1, 0, 2]))),
                Node("Gather", ["shape", "pick"], ["state_shape"], IntAttribute("axis", 0)),
                Node("ConstantOfShape", ["state_shape"], ["h0"], TensorAttribute("value", Tensor("", [1], [0.5f]))),
                Node("RNN", ["x", "w", "r", "", "", "h0"], ["", "y_h"], IntAttribute("hidden_size", Hidden), IntAttribute("layout", 1)),
            ],
            [Tensor("w", [1, Hidden, Features], Values(Hidden * Features, 0.1f)), Tensor("r", [1, Hidden, Hidden], Values(Hidden * Hidden, 0.1f))],
            [Value("x", [null, Steps, Features])], [Value("y_h", [null, 1, Hidden])], opset: 17);
        // Shape [N, 3, 2] gathered at [1, 0, 2] is [3, N, 2]: the wrong shape is named before the fill value.
        Refused(onnx, "RNN_", "RNN", "initial_h 'h0' is filled to [3, N, 2]; expected [N, 1, 2]");
    }
}
