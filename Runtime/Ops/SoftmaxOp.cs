using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Softmax or log-softmax over the last sample axis, as a node of the graph (a model that outputs probabilities or
/// log-probabilities). A classifier trained with the fused softmax cross-entropy loss does not need it. Backward:
/// dx = y ⊙ (dy − Σ dy⊙y) per row; for log-softmax dx = dy − exp(y)·Σ dy.
/// </summary>
public sealed class SoftmaxOp : Op
{
    public const string Name = "softmax";

    private int _cols;

    /// <param name="log">Log-softmax: (x − max) − log Σ exp(x − max), without the rounding of log(softmax).</param>
    public SoftmaxOp(bool log = false) => Log = log;

    public override string Kind => Name;

    public bool Log { get; }

    internal static Op Create(OpAttributes a) => new SoftmaxOp(a.Contains("log") && a.GetInt64("log", 0, 1) == 1);

    // Written only when set, so a plain softmax's settings (and the files that hold them) stay as they were.
    public override void WriteAttributes(OpAttributes attributes)
    {
        if (Log) attributes.Set("log", 1);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        if (inputs[0].Rank == 0) throw new ArgumentException($"{(Log ? "log-softmax" : "softmax")} needs samples with at least one dimension.");
        _cols = inputs[0][inputs[0].Rank - 1];
        return [inputs[0]];
    }

    private int RowsOf(in OpContext context) => context.Input(0).Length / Math.Max(1, _cols);

    internal override void Forward(in OpContext context)
    {
        if (Log) Intrinsics.Softmax.LogForward(context.Input(0), context.Output(0), RowsOf(context), _cols);
        else Intrinsics.Softmax.Forward(context.Input(0), context.Output(0), RowsOf(context), _cols);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        if (Log) Intrinsics.Softmax.LogBackward(context.Output(0), context.OutputGradient(0), context.InputGradient(0), RowsOf(context), _cols);
        else Intrinsics.Softmax.Backward(context.Output(0), context.OutputGradient(0), context.InputGradient(0), RowsOf(context), _cols);
    }

    public override string ToString() => Log ? "LogSoftmax" : Kind;
}
