using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// LSTM, GRU and RNN as the ONNX ops of the same name, W, R and B the op's tensors unchanged (our layout is ONNX's).
/// The node has the default layout 0, time first, with Transposes around it as PyTorch writes them: ONNX Runtime
/// refuses layout 1 ("batchwise recurrent operations are not supported"). So X [N, steps, features] is transposed
/// to [steps, N, features]; lengths, a model input of one float per sample read only by recurrent layers, are
/// sequence_lens, an Int32 [N] graph input; initial states [directions·hidden] are reshaped to [N, directions, hidden] and transposed
/// to [directions, N, hidden]; Y [steps, directions, N, hidden] and Y_h, Y_c [directions, N, hidden] are transposed
/// to put the batch first and reshaped to ours ([steps, directions·hidden], [directions·hidden]). Our importer reads
/// such Transposes as no node.
/// </summary>
internal static class RecurrentExport
{
    /// <summary>A graph input read only as recurrent layers' lengths: written as ONNX's sequence_lens, an Int32 [N] graph input.</summary>
    public static bool IsLengthsInput(Value value) =>
        value.Producer is null && value.Consumers.Count > 0 && !value.IsGraphOutput && value.SampleShape == new TensorShape(1)
        && value.Consumers.All(c => c.Op is RecurrentOp { HasLengths: true } r && c.Inputs[r.LengthsInput] == value
            && Enumerable.Range(0, c.Inputs.Count).Count(i => c.Inputs[i] == value) == 1);

    public static void Export(ExportContext context, Node node)
    {
        var op = (RecurrentOp)node.Op;
        if (op.HasLengths && !IsLengthsInput(node.Inputs[op.LengthsInput]))
            throw ExportContext.Fail(node, "sequence lengths computed by the graph have no ONNX form here (ONNX's sequence_lens is an Int32 graph input): feed the lengths as a model input read only by recurrent layers.");
        int dirs = op.Directions, gates = op.GateCount * op.Hidden;
        string x = context.Fresh(node, "/X");
        context.Add(node, "Transpose", [context.Name(node.Inputs[0])], [x], OnnxWriter.IntsAttribute("perm", 1, 0, 2));
        var inputs = new List<string>
        {
            x,
            context.Tensor(node, "w", [dirs, gates, op.Features]),
            context.Tensor(node, "r", [dirs, gates, op.Hidden]),
            context.Tensor(node, "b", [dirs, 2 * gates]),
        };
        if (op.HasLengths || op.HasInitialState) inputs.Add(op.HasLengths ? context.Name(node.Inputs[op.LengthsInput]) : "");   // sequence_lens
        if (op.HasInitialState)
        {
            for (int s = 0; s < op.StateCount; s++)
            {
                string batchFirst = context.Fresh(node, s == 0 ? "/initial_h_batch_first" : "/initial_c_batch_first");
                context.Reshape(node, context.Name(node.Inputs[RecurrentOp.InitialStateInput(s)]), new TensorShape(dirs, op.Hidden), batchFirst);
                string state = context.Fresh(node, s == 0 ? "/initial_h" : "/initial_c");
                context.Add(node, "Transpose", [batchFirst], [state], OnnxWriter.IntsAttribute("perm", 1, 0, 2));
                inputs.Add(state);
            }
        }

        // Our outputs are those chosen, in ONNX's order Y, Y_h, Y_c; the others stay unnamed.
        RecurrentOutputs[] order = [RecurrentOutputs.Sequence, RecurrentOutputs.FinalState, RecurrentOutputs.FinalCell];
        string[] raw = ["", "", ""];
        var reshapes = new List<(string From, Value To)>();
        int next = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if ((op.Outputs & order[i]) == 0) continue;
            raw[i] = context.Fresh(node, i switch { 0 => "/Y", 1 => "/Y_h", _ => "/Y_c" });
            reshapes.Add((raw[i], node.Outputs[next++]));
        }
        int count = Array.FindLastIndex(raw, r => r.Length > 0) + 1;

        var attributes = new List<Action<ProtoWriter>> { OnnxWriter.IntAttribute("hidden_size", op.Hidden) };
        if (op.Direction != RecurrentDirection.Forward)
            attributes.Add(OnnxWriter.StringAttribute("direction", op.Direction == RecurrentDirection.Reverse ? "reverse" : "bidirectional"));
        switch (op)
        {
            case GruOp gru: attributes.Add(OnnxWriter.IntAttribute("linear_before_reset", gru.LinearBeforeReset ? 1 : 0)); break;
            case RnnOp { Relu: true }: attributes.Add(OnnxWriter.StringsAttribute("activations", [.. Enumerable.Repeat("Relu", dirs)])); break;
        }
        string opType = op switch { LstmOp => "LSTM", GruOp => "GRU", _ => "RNN" };
        context.Add(node, opType, [.. inputs], raw[..count], [.. attributes]);
        foreach (var (from, to) in reshapes)
        {
            bool sequence = to.SampleShape.Rank == 2;   // Y [steps, dirs, N, hidden]; Y_h, Y_c [dirs, N, hidden]
            string batchFirst = context.Fresh(node, from[node.Name.Length..] + "_batch_first");
            context.Add(node, "Transpose", [from], [batchFirst], sequence ? OnnxWriter.IntsAttribute("perm", 2, 0, 1, 3) : OnnxWriter.IntsAttribute("perm", 1, 0, 2));
            context.Reshape(node, batchFirst, to.SampleShape, context.Name(to));
        }
    }
}
