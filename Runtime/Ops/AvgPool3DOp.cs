using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Average pooling over samples [C, D, H, W] (ONNX <c>AveragePool</c> with three spatial axes, PyTorch
/// <c>AvgPool3d</c>): <see cref="AvgPool2DOp"/> over volumes, dividing by the taps inside the padded input
/// (<see cref="CountIncludePad"/>) or on the input alone. Backward spreads each gradient evenly over the taps it was
/// divided by. No scratch.
/// </summary>
public sealed class AvgPool3DOp : Op
{
    public const string Name = "avgpool3d";

    private Pool3DGeometry _geometry;
    private int _channels;

    public AvgPool3DOp(Window3D window, bool countIncludePad = false, bool ceilMode = false)
    {
        if (window.Depth.Kernel == 0) throw new ArgumentException("The pooling's window is empty; create it with a kernel size.", nameof(window));
        Window = window;
        CountIncludePad = countIncludePad;
        CeilMode = ceilMode;
    }

    public override string Kind => Name;

    public Window3D Window { get; }

    /// <summary>The divisor counts padding taps (PyTorch's default, not ONNX's).</summary>
    public bool CountIncludePad { get; }

    public bool CeilMode { get; }

    internal static Op Create(OpAttributes a) =>
        new AvgPool3DOp(Window3D.Read(a), PoolAttributes.Flag(a, "count_include_pad"), PoolAttributes.Flag(a, "ceil_mode"));

    public override void WriteAttributes(OpAttributes attributes)
    {
        Window.Write(attributes);
        attributes.Set("count_include_pad", CountIncludePad ? 1 : 0).Set("ceil_mode", CeilMode ? 1 : 0);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        (_channels, _geometry) = PoolAttributes.Volumes(this, inputs, Window, CeilMode);
        return [new TensorShape(_channels, _geometry.OutputDepth, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    internal override void Forward(in OpContext context) =>
        AvgPool3D.Forward(_geometry, context.Rows * _channels, context.Input(0), context.Output(0), CountIncludePad);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            AvgPool3D.Backward(_geometry, context.Rows * _channels, context.OutputGradient(0), context.InputGradient(0), CountIncludePad);
    }

    public override string ToString() => $"AvgPool3D({Window}{(CountIncludePad ? ", counting padding" : "")}{(CeilMode ? ", ceil" : "")})";
}
