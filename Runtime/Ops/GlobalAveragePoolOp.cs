using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// The mean of each channel of a sample [C, H, W], giving [C, 1, 1] (ONNX <c>GlobalAveragePool</c>). Backward
/// spreads each gradient evenly over its plane.
/// </summary>
public sealed class GlobalAveragePoolOp : Op
{
    public const string Name = "globalavgpool";

    private int _channels, _plane;

    public override string Kind => Name;

    internal static Op Create(OpAttributes a) => new GlobalAveragePoolOp();

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], 3, "images [channels, height, width]");
        (_channels, _plane) = (inputs[0][0], inputs[0][1] * inputs[0][2]);
        return [new TensorShape(_channels, 1, 1)];
    }

    internal override void Forward(in OpContext context) =>
        GlobalPool.AverageForward(context.Rows * _channels, _plane, context.Input(0), context.Output(0));

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            GlobalPool.AverageBackward(context.Rows * _channels, _plane, context.OutputGradient(0), context.InputGradient(0));
    }

    public override string ToString() => "GlobalAveragePool";
}
