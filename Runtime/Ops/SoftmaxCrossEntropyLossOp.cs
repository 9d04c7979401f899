using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// ONNX's SoftmaxCrossEntropyLoss of scores [N, C, d1, …, dk] against labels the op holds (see
/// <see cref="LabelLossOp"/>): the log-softmax over C of each row and position, then the negative log-likelihood of
/// the label. With <see cref="LogProb"/> a second output holds the log-probabilities in the scores' shape (ONNX's
/// log_prob). The log-probabilities are kept in scratch with the classes last for backward, which is the
/// log-softmax's backward of the gradient the loss puts on the labels (plus log_prob's own).
/// </summary>
public sealed class SoftmaxCrossEntropyLossOp : LabelLossOp
{
    public const string Name = "softmax_cross_entropy_loss";

    private int _logp = -1, _work = -1;

    /// <param name="labels">One label per row and position, flat over [N, d1, …, dk].</param>
    /// <param name="ignoreIndex">The label that leaves an element out, or null.</param>
    /// <param name="weighted">Hold class weights [C] (the tensor "weights"; 1 each until set).</param>
    /// <param name="logProb">Output the log-probabilities too (output 1).</param>
    public SoftmaxCrossEntropyLossOp(long[] labels, LossReduction reduction = LossReduction.Mean, long? ignoreIndex = null, bool weighted = false,
        bool logProb = false)
        : base(labels, reduction, ignoreIndex, weighted) => LogProb = logProb;

    public override string Kind => Name;

    public bool LogProb { get; }

    internal static Op Create(OpAttributes a)
    {
        var (labels, reduction, ignore, weighted) = ReadAttributes(a);
        return new SoftmaxCrossEntropyLossOp(labels, reduction, ignore, weighted, a.Contains("log_prob") && a.GetInt64("log_prob", 0, 1) == 1);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        if (LogProb) attributes.Set("log_prob", 1);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        TensorShape loss = InferLoss(inputs);
        return LogProb ? [loss, inputs[0]] : [loss];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        // The log-probabilities of every sample (backward reads them), and, training, one sample's gradient before it is transposed.
        _logp = 0;
        _work = training ? 1 : -1;
        return training ? [checked(maxBatch * SampleLength), SampleLength] : [checked(maxBatch * SampleLength)];
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> loss = context.Output(0), logp = context.Scratch(_logp);
        Span<float> logProb = LogProb ? context.Output(1) : default;
        int n = SampleLength / (Classes * Inner);
        for (int r = 0; r < context.Rows; r++)
        {
            Span<float> rowLogp = logp.Slice(r * SampleLength, SampleLength);
            SoftmaxCrossEntropy.Forward(x.Slice(r * SampleLength, SampleLength), Targets, Weights, Classes, Inner, Reduction, rowLogp,
                loss.Slice(r * LossLength, LossLength));
            if (LogProb) SoftmaxCrossEntropy.LogProbabilities(rowLogp, n, Classes, Inner, logProb.Slice(r * SampleLength, SampleLength));
        }
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        ReadOnlySpan<float> logp = context.Scratch(_logp), dloss = context.OutputGradient(0);
        ReadOnlySpan<float> dlogProb = LogProb ? context.OutputGradient(1) : default;
        Span<float> dx = context.InputGradient(0), work = context.Scratch(_work);
        for (int r = 0; r < context.Rows; r++)
            SoftmaxCrossEntropy.Backward(logp.Slice(r * SampleLength, SampleLength), dloss.Slice(r * LossLength, LossLength),
                LogProb ? dlogProb.Slice(r * SampleLength, SampleLength) : default, Targets, Weights, Classes, Inner, Reduction, work,
                dx.Slice(r * SampleLength, SampleLength));
    }

    public override string ToString() => Describe(LogProb ? "SoftmaxCrossEntropyLoss+log_prob" : "SoftmaxCrossEntropyLoss");
}
