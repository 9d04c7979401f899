using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Max pooling over samples [C, H, W] (ONNX <c>MaxPool</c>, PyTorch <c>MaxPool2d</c>): each output is the largest
/// value of its window (NaN wins). Training keeps where each maximum came from in scratch, and backward passes each
/// gradient back to that input alone (overlapping windows that chose the same input add).
/// </summary>
public sealed class MaxPool2DOp : Op
{
    public const string Name = "maxpool2d";

    private Pool2DGeometry _geometry;
    private int _channels;

    public MaxPool2DOp(Window2D window, bool ceilMode = false)
    {
        if (window.KernelHeight == 0) throw new ArgumentException("The pooling's window is empty; create it with a kernel size.", nameof(window));
        Window = window;
        CeilMode = ceilMode;
    }

    public override string Kind => Name;

    public Window2D Window { get; }

    /// <summary>Output sizes round up (a last partial window is kept unless it would start in the end padding).</summary>
    public bool CeilMode { get; }

    internal static Op Create(OpAttributes a) => new MaxPool2DOp(Window2D.Read(a), PoolAttributes.Flag(a, "ceil_mode"));

    public override void WriteAttributes(OpAttributes attributes)
    {
        Window.Write(attributes);
        attributes.Set("ceil_mode", CeilMode ? 1 : 0);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        (_channels, _geometry) = PoolAttributes.Images(this, inputs, Window, CeilMode);
        return [new TensorShape(_channels, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    /// <summary>The arg-max of every output (ints, kept in a float region of the same length).</summary>
    internal override int[] ScratchLengths(int maxBatch, bool training) =>
        training ? [checked(maxBatch * _channels * _geometry.OutputPlane)] : [];

    internal override void Forward(in OpContext context)
    {
        int planes = context.Rows * _channels;
        Span<int> indices = context.Training ? Indices(context, planes) : default;
        MaxPool2D.Forward(_geometry, planes, context.Input(0), context.Output(0), indices);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("MaxPool2D backward follows a training-mode forward (it needs the positions of the maxima).");
        if (!context.NeedsInputGradient(0)) return;
        int planes = context.Rows * _channels;
        MaxPool2D.Backward(_geometry, planes, context.OutputGradient(0), Indices(context, planes), context.InputGradient(0));
    }

    private Span<int> Indices(in OpContext context, int planes) =>
        MemoryMarshal.Cast<float, int>(context.Scratch(0))[..(planes * _geometry.OutputPlane)];

    public override string ToString() => $"MaxPool2D({Window}{(CeilMode ? ", ceil" : "")})";
}
