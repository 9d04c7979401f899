using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// The largest value of each channel of a sample [C, H, W], giving [C, 1, 1] (ONNX <c>GlobalMaxPool</c>; NaN wins).
/// Training keeps where each maximum is in scratch, and backward passes each gradient back to that input alone.
/// </summary>
public sealed class GlobalMaxPoolOp : Op
{
    public const string Name = "globalmaxpool";

    private int _channels, _plane;

    public override string Kind => Name;

    internal static Op Create(OpAttributes a) => new GlobalMaxPoolOp();

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], 3, "images [channels, height, width]");
        (_channels, _plane) = (inputs[0][0], inputs[0][1] * inputs[0][2]);
        return [new TensorShape(_channels, 1, 1)];
    }

    /// <summary>The arg-max of every plane (ints, kept in a float region of the same length).</summary>
    internal override int[] ScratchLengths(int maxBatch, bool training) => training ? [checked(maxBatch * _channels)] : [];

    internal override void Forward(in OpContext context)
    {
        int planes = context.Rows * _channels;
        Span<int> indices = context.Training ? Indices(context, planes) : default;
        GlobalPool.MaxForward(planes, _plane, context.Input(0), context.Output(0), indices);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("GlobalMaxPool backward follows a training-mode forward (it needs the positions of the maxima).");
        if (!context.NeedsInputGradient(0)) return;
        int planes = context.Rows * _channels;
        GlobalPool.MaxBackward(planes, _plane, context.OutputGradient(0), Indices(context, planes), context.InputGradient(0));
    }

    private static Span<int> Indices(in OpContext context, int planes) => MemoryMarshal.Cast<float, int>(context.Scratch(0))[..planes];

    public override string ToString() => "GlobalMaxPool";
}
