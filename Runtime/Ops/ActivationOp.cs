using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// An elementwise activation on any shape. The sequential builder folds one that follows a Dense into it, and
/// freezing fuses one into the Dense before it, so this runs on its own only where nothing precedes it to fuse with.
/// </summary>
public sealed class ActivationOp : Op
{
    public const string Name = "activation";

    public ActivationOp(ActivationKind kind, float alpha = float.NaN)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an activation.");
        Activation = kind;
        Alpha = float.IsNaN(alpha) ? Activations.DefaultAlpha(kind) : alpha;
    }

    public override string Kind => Name;

    public ActivationKind Activation { get; }

    public float Alpha { get; }

    internal static Op Create(OpAttributes a) => new ActivationOp(OpNames.ParseActivation(a, "activation"), (float)a.GetDouble("alpha", float.NaN));

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("activation", OpNames.Activation(Activation)).Set("alpha", Alpha);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        return [inputs[0]];
    }

    internal override void Forward(in OpContext context) => Activations.Forward(Activation, context.Input(0), context.Output(0), Alpha);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            Activations.Backward(Activation, context.Input(0), context.Output(0), context.OutputGradient(0), context.InputGradient(0), Alpha);
    }

    public override string ToString() => $"Activation({Activation})";
}
