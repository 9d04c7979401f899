using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample as one row of features ([C×H×W] → [C·H·W]). A view: the planner gives input and output one buffer,
/// so it copies nothing (it copies only where its output is the caller's own buffer).
/// </summary>
public sealed class FlattenOp : Op
{
    public const string Name = "flatten";

    public override string Kind => Name;

    internal static Op Create(OpAttributes a) => new FlattenOp();

    internal override bool IsView => true;

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        return [new TensorShape(inputs[0].Length)];
    }

    internal override void Forward(in OpContext context)
    {
        // Aliased, the output already is the input (possibly the caller's own buffer, which must not be written).
        if (!context.SharesBuffer(0, 0)) context.Input(0).CopyTo(context.Output(0));
    }

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0)) context.OutputGradient(0).CopyTo(context.InputGradient(0));
    }
}
