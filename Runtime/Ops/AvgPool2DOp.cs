using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Average pooling over samples [C, H, W] (ONNX <c>AveragePool</c>, PyTorch <c>AvgPool2d</c>): each output is the
/// mean of its window, dividing by the taps inside the padded input (<see cref="CountIncludePad"/>) or on the input
/// alone. Backward spreads each gradient evenly over the taps it was divided by. No scratch.
/// </summary>
public sealed class AvgPool2DOp : Op
{
    public const string Name = "avgpool2d";

    private Pool2DGeometry _geometry;
    private int _channels;

    public AvgPool2DOp(Window2D window, bool countIncludePad = false, bool ceilMode = false)
    {
        if (window.KernelHeight == 0) throw new ArgumentException("The pooling's window is empty; create it with a kernel size.", nameof(window));
        Window = window;
        CountIncludePad = countIncludePad;
        CeilMode = ceilMode;
    }

    public override string Kind => Name;

    public Window2D Window { get; }

    /// <summary>The divisor counts padding taps (PyTorch's default, not ONNX's).</summary>
    public bool CountIncludePad { get; }

    public bool CeilMode { get; }

    internal static Op Create(OpAttributes a) =>
        new AvgPool2DOp(Window2D.Read(a), PoolAttributes.Flag(a, "count_include_pad"), PoolAttributes.Flag(a, "ceil_mode"));

    public override void WriteAttributes(OpAttributes attributes)
    {
        Window.Write(attributes);
        attributes.Set("count_include_pad", CountIncludePad ? 1 : 0).Set("ceil_mode", CeilMode ? 1 : 0);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        (_channels, _geometry) = PoolAttributes.Images(this, inputs, Window, CeilMode);
        return [new TensorShape(_channels, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    internal override void Forward(in OpContext context) =>
        AvgPool2D.Forward(_geometry, context.Rows * _channels, context.Input(0), context.Output(0), CountIncludePad);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            AvgPool2D.Backward(_geometry, context.Rows * _channels, context.OutputGradient(0), context.InputGradient(0), CountIncludePad);
    }

    public override string ToString() => $"AvgPool2D({Window}{(CountIncludePad ? ", counting padding" : "")}{(CeilMode ? ", ceil" : "")})";
}
