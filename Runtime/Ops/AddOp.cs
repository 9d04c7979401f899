using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// y = a + b elementwise (a residual connection's join), or, with one input, y = a + bias where the trainable bias
/// has one sample's shape and is broadcast over the batch (ONNX's MatMul → Add of a bias row).
/// Backward: da = dy, db = dy; dbias = the column sums of dy.
/// </summary>
public sealed class AddOp : Op
{
    public const string Name = "add";

    /// <param name="withBias">True for one input plus a trainable bias row; false for the sum of two inputs.</param>
    public AddOp(bool withBias = false) => WithBias = withBias;

    public override string Kind => Name;

    public bool WithBias { get; }

    private int SampleLength { get; set; }

    public Span<float> Bias => WithBias ? Data(0) : default;

    internal static Op Create(OpAttributes a)
    {
        long bias = a.GetInt64("bias", 0);
        return bias is 0 or 1 ? new AddOp(bias == 1) : throw a.Bad("bias", $"is {bias}, expected 0 (two inputs) or 1 (one input and a bias row)");
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("bias", WithBias ? 1 : 0);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, WithBias ? 1 : 2);
        if (!WithBias && inputs[0] != inputs[1])
            throw new ArgumentException($"add takes two inputs of one shape, got {inputs[0]} and {inputs[1]}.");
        SampleLength = inputs[0].Length;
        BiasShape = inputs[0];
        return [inputs[0]];
    }

    private TensorShape BiasShape { get; set; }

    protected override OpTensor[] DeclareTensors() => WithBias ? [new("bias", BiasShape, true)] : [];

    internal override void Forward(in OpContext context)
    {
        Span<float> y = context.Output(0);
        if (WithBias)
        {
            context.Input(0).CopyTo(y);
            Elementwise.AddBias(y, context.Rows, SampleLength, Bias);
            return;
        }
        ReadOnlySpan<float> a = context.Input(0), b = context.Input(1);
        if (a.Length != b.Length || y.Length != a.Length)
            throw new InvalidOperationException($"add: the inputs have {a.Length} and {b.Length} values and the output {y.Length}; expected one length.");
        PlaneMath.Add(a, b, y, Isa.Width); // one pass, not a copy and then an add over it
    }

    internal override void Backward(in OpContext context)
    {
        ReadOnlySpan<float> dy = context.OutputGradient(0);
        if (WithBias) Reductions.ColumnSums(dy, context.Rows, SampleLength, Gradient(0));
        for (int i = 0; i < (WithBias ? 1 : 2); i++)
        {
            if (!context.NeedsInputGradient(i)) continue;
            Span<float> dx = context.InputGradient(i);
            // The arena may hand the gradient the same memory as dy: then there is nothing to copy.
            if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(dx), ref MemoryMarshal.GetReference(dy))) dy.CopyTo(dx);
        }
    }

    public override string ToString() => WithBias ? "Add(bias)" : "Add";
}
