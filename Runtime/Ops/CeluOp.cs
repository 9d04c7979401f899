using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>CELU on any shape: max(0, x) + min(0, α·(e^(x/α) − 1)), α &gt; 0 (ONNX's Celu, default α = 1). Backward from y.</summary>
public sealed class CeluOp : Op
{
    public const string Name = "celu";

    public CeluOp(float alpha = 1)
    {
        if (!(alpha > 0) || float.IsInfinity(alpha))
            throw new ArgumentException($"celu alpha must be a positive finite number, got {alpha.ToString(CultureInfo.InvariantCulture)}.");
        Alpha = alpha;
    }

    public override string Kind => Name;

    public float Alpha { get; }

    internal static Op Create(OpAttributes a)
    {
        double alpha = a.GetDouble("alpha", 1);
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw a.Bad("alpha", $"is {alpha.ToString(CultureInfo.InvariantCulture)}, expected a positive finite number");
        return new CeluOp((float)alpha);
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("alpha", Alpha);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        return [inputs[0]];
    }

    internal override void Forward(in OpContext context) => Celu.Forward(context.Input(0), context.Output(0), Alpha);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0)) Celu.Backward(context.Output(0), context.OutputGradient(0), context.InputGradient(0), Alpha);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Celu({Alpha})");
}
