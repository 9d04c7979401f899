using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// ONNX's NegativeLogLikelihoodLoss of log-probabilities [N, C, d1, …, dk] against labels the op holds (see
/// <see cref="LabelLossOp"/>): loss = −w[label] · x[n, label, d…], 0 where the label is ignore_index. Backward:
/// −w[label] times the element's loss gradient (a mean's over the weights' sum) at each label, 0 elsewhere.
/// </summary>
public sealed class NllLossOp : LabelLossOp
{
    public const string Name = "nll_loss";

    /// <param name="labels">One label per row and position, flat over [N, d1, …, dk].</param>
    /// <param name="ignoreIndex">The label that leaves an element out, or null.</param>
    /// <param name="weighted">Hold class weights [C] (the tensor "weights"; 1 each until set).</param>
    public NllLossOp(long[] labels, LossReduction reduction = LossReduction.Mean, long? ignoreIndex = null, bool weighted = false)
        : base(labels, reduction, ignoreIndex, weighted)
    {
    }

    public override string Kind => Name;

    internal static Op Create(OpAttributes a)
    {
        var (labels, reduction, ignore, weighted) = ReadAttributes(a);
        return new NllLossOp(labels, reduction, ignore, weighted);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs) => [InferLoss(inputs)];

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> loss = context.Output(0);
        for (int r = 0; r < context.Rows; r++)
            NegativeLogLikelihood.Forward(x.Slice(r * SampleLength, SampleLength), Targets, Weights, Classes, Inner, Reduction,
                loss.Slice(r * LossLength, LossLength));
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        ReadOnlySpan<float> dloss = context.OutputGradient(0);
        Span<float> dx = context.InputGradient(0);
        for (int r = 0; r < context.Rows; r++)
            NegativeLogLikelihood.Backward(dloss.Slice(r * LossLength, LossLength), Targets, Weights, Classes, Inner, Reduction,
                dx.Slice(r * SampleLength, SampleLength));
    }

    public override string ToString() => Describe("NllLoss");
}
