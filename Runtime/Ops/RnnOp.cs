using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// A plain (Elman) recurrent layer, h' = act(W·x + Wb + R·h + Rb) with act tanh or ReLU (ONNX <c>RNN</c> with
/// either activation for both directions, PyTorch <c>nn.RNN</c> with <c>nonlinearity</c> and
/// <c>batch_first=True</c> for one layer). See <see cref="RecurrentOp"/> for the inputs, outputs, lengths and layout.
/// </summary>
public sealed class RnnOp : RecurrentOp
{
    public const string Name = "rnn";

    /// <param name="hidden">Hidden size.</param>
    /// <param name="relu">ReLU instead of tanh.</param>
    /// <param name="direction">Forward, reverse, or both (a second set of weights from the last step back; both states side by side).</param>
    /// <param name="outputs">The state of every step, the final state (and an LSTM's final cell state): any of them, in that order.</param>
    /// <param name="initialState">Take the initial hidden state as input 1 (else zero).</param>
    /// <param name="lengths">Take each sample's length as the last input.</param>
    public RnnOp(int hidden, bool relu = false, RecurrentDirection direction = RecurrentDirection.Forward, RecurrentOutputs outputs = RecurrentOutputs.Sequence, bool initialState = false, bool lengths = false)
        : base(hidden, direction, outputs, initialState, lengths) => Relu = relu;

    public override string Kind => Name;

    public override int GateCount => 1;

    /// <summary>ReLU (true) or tanh (false).</summary>
    public bool Relu { get; }

    internal static Op Create(OpAttributes a)
    {
        var (hidden, direction, outputs, initial, lengths) = ReadAttributes(a);
        string activation = a.GetString("activation", "tanh");
        if (activation is not ("tanh" or "relu")) throw a.Bad("activation", $"is '{activation}', expected tanh or relu");
        return new RnnOp(hidden, activation == "relu", direction, outputs, initial, lengths);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        attributes.Set("activation", Relu ? "relu" : "tanh");
    }

    private protected override int[] CellScratchLengths(int maxBatch) => [];

    private protected override void ForwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden;
        Span<float> gates = context.Scratch(ScratchGates), history = context.Scratch(ScratchHistory);
        RecurrentProduct(context, d, 0, history[StateOffset(0, t, d)..], StateStride, 1f, gates[GateOffset(0, t, d)..], GateStride);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            var (at, stride, region) = NextState(start, t, d, 0);
            RnnCell.Forward(Relu, count, h, gates[GateOffset(start, t, d)..], GateStride, context.Scratch(region)[at..], stride);
        }
    }

    private protected override void BackwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden;
        Span<float> gates = context.Scratch(ScratchGates), dh = context.Scratch(ScratchHiddenGradient)[..(rows * h)];
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
            RnnCell.Backward(Relu, count, h, gates[GateOffset(start, t, d)..], GateStride, dh[(start * h)..], h);
        ClearInactive(gates, h, GateStride, GateOffset(0, t, d), lengths, rows, t);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, h, h, 1f, gates[GateOffset(0, t, d)..], GateStride,
            RecurrentWeights.Slice(d * h * h, h * h), h, 0f, dh, h, default, context.Threads);
    }

    public override string ToString() => $"RNN({Features}→{Hidden}, {(Relu ? "relu" : "tanh")}{DirectionSuffix})";
}
