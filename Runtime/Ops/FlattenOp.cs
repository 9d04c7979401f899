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

    internal override void Forward(in OpContext context) => ViewCopy.Copy(context.Input(0), context.Output(0));

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0)) ViewCopy.Copy(context.OutputGradient(0), context.InputGradient(0));
    }
}

/// <summary>A view's data movement: nothing when the planner aliased the two, else one copy.</summary>
internal static class ViewCopy
{
    public static void Copy(ReadOnlySpan<float> from, Span<float> to)
    {
        if (!from.Overlaps(to)) from.CopyTo(to);
    }
}
