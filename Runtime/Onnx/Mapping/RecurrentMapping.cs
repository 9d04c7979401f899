using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// LSTM, GRU and RNN as <see cref="LstmOp"/>, <see cref="GruOp"/> and <see cref="RnnOp"/>, whose tensors are ONNX's
/// W, R and B (gate orders and all): hidden_size, direction, GRU's linear_before_reset both ways, RNN's Tanh or Relu,
/// and layout. Layout 1 is our batch-first layout; layout 0 reads X [steps, batch, features] and gives Y [steps,
/// directions, batch, hidden], Y_h and Y_c [directions, batch, hidden]: the values stay batch-first and the
/// <see cref="BoundTensor"/>s say where ONNX's batch is, so the Transposes around the node add nothing. The initial
/// states may be absent, zeros (a zero initializer or a ConstantOfShape of zeros), or computed values of
/// [directions, batch, hidden] (layout 0) or [batch, directions, hidden]. A Y read only through a Gather of its last
/// step is not made (forward, without sequence_lens: that step is Y_h).
/// <para>
/// Refused, naming the node: activations other than the defaults (LSTM Sigmoid, Tanh, Tanh; GRU Sigmoid, Tanh; RNN
/// Tanh or Relu, the same in both directions) or with activation_alpha / activation_beta, clip, input_forget 1,
/// peepholes (P), weights that are not float initializers, and constant sequence_lens other than every entry the
/// sequence's length (a constant per sample would fix the batch). Per-sample lengths come as a graph input [batch]
/// (the model takes them as one float per sample) or a computed value.
/// </para>
/// </summary>
internal static class RecurrentMapping
{
    private const int X = 0, W = 1, R = 2, B = 3, SequenceLengths = 4, InitialH = 5, InitialC = 6, Peepholes = 7;

    public static OnnxOpMapping[] Mappings =>
    [
        new("LSTM", OnnxOpTable.MinOpset, 8, (c, n) => Map(c, n, gates: 4, states: 2)),
        new("GRU", OnnxOpTable.MinOpset, 6, (c, n) => Map(c, n, gates: 3, states: 1)),
        new("RNN", OnnxOpTable.MinOpset, 6, (c, n) => Map(c, n, gates: 1, states: 1)),
    ];

    private static void Map(ImportContext context, OnnxNode node, int gates, int states)
    {
        context.Require(node, node.Attribute("clip") is null, "attribute 'clip' is set; the runtime's cells do not clip their gate inputs.");
        context.Require(node, node.Int("input_forget", 0) == 0, "attribute 'input_forget' is 1; the runtime's LSTM has no coupled input and forget gates.");
        context.Require(node, !node.HasInput(Peepholes), $"input 7 (P) '{(node.HasInput(Peepholes) ? node.Inputs[Peepholes] : "")}' gives peepholes; the runtime's LSTM has none.");
        foreach (string name in new[] { "activation_alpha", "activation_beta" })
            context.Require(node, node.Floats(name).Count == 0, $"attribute '{name}' is set; the importer maps the default activations only, which take no parameters.");

        string directionName = node.String("direction", "forward");
        RecurrentDirection direction = directionName switch
        {
            "forward" => RecurrentDirection.Forward,
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            _ => throw context.Fail(node, $"attribute 'direction' is '{directionName}'; expected forward, reverse or bidirectional."),
        };
        int dirs = direction == RecurrentDirection.Bidirectional ? 2 : 1;
        bool relu = Activations(context, node, dirs);
        long layout = node.Int("layout", 0);
        context.Require(node, layout is 0 or 1, $"attribute 'layout' is {layout}; expected 0 (time first) or 1 (batch first).");
        context.Require(node, layout == 0 || context.Opset >= 14, $"attribute 'layout' is set, but opset {context.Opset} has none (it came in opset 14).");

        BoundTensor x = context.Tensor(node, X);
        int batchAxis = (int)layout ^ 1;   // layout 0: X [steps, batch, features]; layout 1: [batch, steps, features]
        context.Require(node, x.Rank == 3 && x.BatchAxis == batchAxis,
            layout == 0
                ? $"X '{node.Inputs[X]}' is {x.Shape}; layout 0 reads [steps, N, features], the batch N on axis 1 (transpose a batch-first input with perm [1, 0, 2], or set layout 1)."
                : $"X '{node.Inputs[X]}' is {x.Shape}; layout 1 reads [N, steps, features], the batch N on axis 0.");
        int steps = x.Dims[0], features = x.Dims[1];

        OnnxTensor w = context.Weight(node, W, rank: 3), r = context.Weight(node, R, rank: 3);
        long hiddenSize = node.Int("hidden_size", r.Dims[2]);
        context.Require(node, hiddenSize is > 0 and <= 1 << 20, $"attribute 'hidden_size' is {hiddenSize}; expected 1 to {1 << 20}.");
        int hidden = (int)hiddenSize;
        string expectW = $"[{dirs}, {gates * hidden}, {features}]", expectR = $"[{dirs}, {gates * hidden}, {hidden}]";
        context.Require(node, ImportContext.Dims(w) == expectW, $"W '{w.Name}' has shape {ImportContext.Dims(w)}; expected {expectW} (directions, {gates}·hidden, features of X).");
        context.Require(node, ImportContext.Dims(r) == expectR, $"R '{r.Name}' has shape {ImportContext.Dims(r)}; expected {expectR} (directions, {gates}·hidden, hidden).");
        float[] bias = new float[dirs * 2 * gates * hidden];
        if (node.HasInput(B))
        {
            OnnxTensor b = context.Weight(node, B, rank: 2);
            string expectB = $"[{dirs}, {2 * gates * hidden}]";
            context.Require(node, ImportContext.Dims(b) == expectB, $"B '{b.Name}' has shape {ImportContext.Dims(b)}; expected {expectB} (directions, Wb and Rb of {gates}·hidden).");
            b.Floats.CopyTo(bias);
        }
        Value? lengths = Lengths(context, node, steps);

        int stateAxis = layout == 0 ? 1 : 0;   // the batch in the states: [dirs, N, hidden] (layout 0) or [N, dirs, hidden]
        var initial = new List<Value>();
        for (int k = 0; k < states; k++)
            if (InitialState(context, node, InitialH + k, dirs, hidden, stateAxis) is Value v) initial.Add(v);
        context.Require(node, initial.Count == 0 || initial.Count == states,
            "gives initial_h or initial_c but not both; the runtime's LSTM takes both initial states or neither (zero).");

        // Which outputs are read; a forward Y also offers its last step, which is Y_h (unless lengths end some sequences early).
        bool lastStep = direction == RecurrentDirection.Forward && lengths is null;
        bool sequence = Used(context, node, 0) && !context.UnusedOutputs.Contains((node, 0));
        bool finalRead = Used(context, node, 1);
        bool final = finalRead || (Used(context, node, 0) && lastStep && !context.UnusedOutputs.Contains((node, 1)));
        bool cell = states == 2 && Used(context, node, 2);
        context.Require(node, Used(context, node, 0) || finalRead || cell, "none of its outputs (Y, Y_h" + (states == 2 ? ", Y_c" : "") + ") is used; remove the node before export.");
        RecurrentOutputs outputs = (sequence ? RecurrentOutputs.Sequence : 0) | (final ? RecurrentOutputs.FinalState : 0) | (cell ? RecurrentOutputs.FinalCell : 0);
        if (outputs == 0) outputs = RecurrentOutputs.FinalState;   // Y read for its shape only: the op still needs an output

        RecurrentOp op = node.OpType switch
        {
            "LSTM" => new LstmOp(hidden, direction, outputs, initial.Count > 0, lengths is not null),
            "GRU" => new GruOp(hidden, LinearBeforeReset(context, node), direction, outputs, initial.Count > 0, lengths is not null),
            _ => new RnnOp(hidden, relu, direction, outputs, initial.Count > 0, lengths is not null),
        };
        Value xs = context.Materialize(node, x, [steps, features]);
        IReadOnlyList<Value> made = context.AddNode(node, op, [xs, .. initial, .. lengths is null ? Array.Empty<Value>() : [lengths]]);
        Value? y = sequence ? made[0] : null;
        Value? h = final ? made[op.FinalOutput(0)] : null;
        Value? c = cell ? made[op.FinalOutput(1)] : null;
        context.RecordRecurrent(node, y, finalRead ? null : h);
        context.SetTensor(op, "w", w);
        context.SetTensor(op, "r", r);
        context.SetTensor(op, "b", bias);

        if (Used(context, node, 0))
        {
            // Y: [steps, dirs, N, hidden] (layout 0) or [N, steps, dirs, hidden]; ours [steps, dirs·hidden] per sample.
            context.BindTensor(node, node.Outputs[0], new BoundTensor(y, [steps, dirs, hidden], layout == 0 ? 2 : 0,
                TimeAxis: layout == 0 ? 0 : 1, LastStep: lastStep ? h : null));
        }
        if (finalRead) context.BindTensor(node, node.Outputs[1], new BoundTensor(h, [dirs, hidden], stateAxis));
        if (cell) context.BindTensor(node, node.Outputs[2], new BoundTensor(c, [dirs, hidden], stateAxis));
    }

    private static bool Used(ImportContext context, OnnxNode node, int output) => output < node.Outputs.Count && context.IsUsed(node.Outputs[output]);

    /// <summary>The default activations, once per direction; for an RNN, whether they are Relu.</summary>
    private static bool Activations(ImportContext context, OnnxNode node, int dirs)
    {
        IReadOnlyList<string> given = node.Strings("activations");
        string[][] accepted = node.OpType switch
        {
            "LSTM" => [["Sigmoid", "Tanh", "Tanh"]],
            "GRU" => [["Sigmoid", "Tanh"]],
            _ => [["Tanh"], ["Relu"]],
        };
        if (given.Count == 0) return false;
        foreach (string[] one in accepted)
        {
            bool match = given.Count == one.Length * dirs
                && given.Select((a, i) => string.Equals(a, one[i % one.Length], StringComparison.OrdinalIgnoreCase)).All(m => m);
            if (match) return one[0] == "Relu";
        }
        string options = string.Join(" or ", accepted.Select(a => $"[{string.Join(", ", a)}]"));
        throw context.Fail(node, $"attribute 'activations' is [{string.Join(", ", given)}]; the importer maps {options}{(dirs == 2 ? " for each direction" : "")} only (the runtime's cells have these activations built in).");
    }

    private static bool LinearBeforeReset(ImportContext context, OnnxNode node)
    {
        long value = node.Int("linear_before_reset", 0);
        context.Require(node, value is 0 or 1, $"attribute 'linear_before_reset' is {value}; expected 0 or 1.");
        return value == 1;
    }

    /// <summary>
    /// sequence_lens: null when left out or a constant holding the sequence's length for every sample (which changes
    /// nothing); else the per-sample lengths [1], a graph input (as floats) or a computed value.
    /// </summary>
    private static Value? Lengths(ImportContext context, OnnxNode node, int steps)
    {
        if (!node.HasInput(SequenceLengths)) return null;
        string name = node.Inputs[SequenceLengths];
        if (context.Initializer(node, SequenceLengths) is OnnxTensor constant)
        {
            context.Require(node, constant.DataType == OnnxDataType.Int32, $"sequence_lens '{name}' holds {constant.DataType}; ONNX defines it as Int32.");
            foreach (long v in constant.Int64s)
                context.Require(node, v == steps,
                    $"sequence_lens '{name}' is a constant holding {v}; the importer maps a constant only when every length is the {steps} steps of X (a constant per sample would fix the batch): feed the lengths as a graph input instead.");
            return null;
        }
        BoundTensor lengths = context.Tensor(node, SequenceLengths);
        context.Require(node, lengths.Value is { SampleShape: { Rank: 1, Length: 1 } } && lengths.BatchAxis == 0,
            $"sequence_lens '{name}' is {lengths.Shape}; expected [N], one length per sample.");
        return lengths.Value;
    }

    /// <summary>
    /// Initial state input <paramref name="index"/>: null when absent or zero, else the computed value of
    /// [dirs, N, hidden] (layout 0) or [N, dirs, hidden] as the op's [dirs·hidden] per sample.
    /// </summary>
    private static Value? InitialState(ImportContext context, OnnxNode node, int index, int dirs, int hidden, int batchAxis)
    {
        if (!node.HasInput(index)) return null;
        string role = index == InitialH ? "initial_h" : "initial_c", name = node.Inputs[index];
        string expected = batchAxis == 1 ? $"[{dirs}, N, {hidden}]" : $"[N, {dirs}, {hidden}]";
        if (context.Fill(node, index) is FilledTensor fill)
        {
            long?[] shape = batchAxis == 1 ? [dirs, null, hidden] : [null, dirs, hidden];
            context.Require(node, fill.Shape.SequenceEqual(shape), $"{role} '{name}' is filled to {fill.ShapeText}; expected {expected}.");
            context.Require(node, fill.Value == 0,
                string.Create(CultureInfo.InvariantCulture, $"{role} '{name}' is filled with {fill.Value}; the importer maps a zero fill (the default state) or a computed state."));
            return null;
        }
        if (context.Initializer(node, index) is OnnxTensor constant)
        {
            context.Require(node, constant.DataType == OnnxDataType.Float && AllZero(constant.Floats),
                $"{role} '{name}' is a constant other than zeros; a constant state would fix the batch size, so the importer maps zeros (the default) or a computed state.");
            return null;
        }
        BoundTensor state = context.Tensor(node, index);
        context.Require(node, state.BatchAxis == batchAxis && state.Dims.SequenceEqual([dirs, hidden]),
            $"{role} '{name}' is {state.Shape}; expected {expected}.");
        return context.Materialize(node, state, [dirs * hidden]);
    }

    private static bool AllZero(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (v != 0) return false;
        return true;
    }
}
