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

    internal override void Forward(in OpContext context) => ViewCopy.Forward(context);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0)) ViewCopy.Copy(context.OutputGradient(0), context.InputGradient(0));
    }
}

/// <summary>A view's data movement: nothing when the planner aliased the two, else one copy.</summary>
internal static class ViewCopy
{
    /// <summary>
    /// Forward asks the plan rather than comparing spans: a view of the graph's input aliases the caller's buffer,
    /// which is read-only, so asking for the output there would throw.
    /// </summary>
    public static void Forward(in OpContext context)
    {
        if (!context.OutputAliasesInput) context.Input(0).CopyTo(context.Output(0));
    }

    public static void Copy(ReadOnlySpan<float> from, Span<float> to)
    {
        if (!from.Overlaps(to)) from.CopyTo(to);
    }
}
