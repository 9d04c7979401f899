using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Softmax over the last sample axis, as a node of the graph (a model that outputs probabilities). A classifier
/// trained with the fused softmax cross-entropy loss does not need it. Backward: dx = y ⊙ (dy − Σ dy⊙y) per row.
/// </summary>
public sealed class SoftmaxOp : Op
{
    public const string Name = "softmax";

    private int _cols;

    public override string Kind => Name;

    internal static Op Create(OpAttributes a) => new SoftmaxOp();

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        if (inputs[0].Rank == 0) throw new ArgumentException("softmax needs samples with at least one dimension.");
        _cols = inputs[0][inputs[0].Rank - 1];
        return [inputs[0]];
    }

    private int RowsOf(in OpContext context) => context.Input(0).Length / Math.Max(1, _cols);

    internal override void Forward(in OpContext context) =>
        Intrinsics.Softmax.Forward(context.Input(0), context.Output(0), RowsOf(context), _cols);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            Intrinsics.Softmax.Backward(context.Output(0), context.OutputGradient(0), context.InputGradient(0), RowsOf(context), _cols);
    }
}
