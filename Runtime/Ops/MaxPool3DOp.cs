using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Max pooling over samples [C, D, H, W] (ONNX <c>MaxPool</c> with three spatial axes, PyTorch <c>MaxPool3d</c>):
/// <see cref="MaxPool2DOp"/> over volumes. Training keeps where each maximum came from in scratch, and backward
/// passes each gradient back to that input alone (overlapping windows that chose the same input add).
/// </summary>
public sealed class MaxPool3DOp : Op
{
    public const string Name = "maxpool3d";

    private Pool3DGeometry _geometry;
    private int _channels;

    public MaxPool3DOp(Window3D window, bool ceilMode = false)
    {
        if (window.Depth.Kernel == 0) throw new ArgumentException("The pooling's window is empty; create it with a kernel size.", nameof(window));
        Window = window;
        CeilMode = ceilMode;
    }

    public override string Kind => Name;

    public Window3D Window { get; }

    /// <summary>Output sizes round up (a last partial window is kept unless it would start in the end padding).</summary>
    public bool CeilMode { get; }

    internal static Op Create(OpAttributes a) => new MaxPool3DOp(Window3D.Read(a), PoolAttributes.Flag(a, "ceil_mode"));

    public override void WriteAttributes(OpAttributes attributes)
    {
        Window.Write(attributes);
        attributes.Set("ceil_mode", CeilMode ? 1 : 0);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        (_channels, _geometry) = PoolAttributes.Volumes(this, inputs, Window, CeilMode);
        return [new TensorShape(_channels, _geometry.OutputDepth, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    /// <summary>The arg-max of every output (ints, kept in a float region of the same length).</summary>
    internal override int[] ScratchLengths(int maxBatch, bool training) =>
        training ? [checked(maxBatch * _channels * _geometry.OutputVolume)] : [];

    internal override void Forward(in OpContext context)
    {
        int volumes = context.Rows * _channels;
        Span<int> indices = context.Training ? Indices(context, volumes) : default;
        MaxPool3D.Forward(_geometry, volumes, context.Input(0), context.Output(0), indices);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("MaxPool3D backward follows a training-mode forward (it needs the positions of the maxima).");
        if (!context.NeedsInputGradient(0)) return;
        int volumes = context.Rows * _channels;
        MaxPool3D.Backward(_geometry, volumes, context.OutputGradient(0), Indices(context, volumes), context.InputGradient(0));
    }

    private Span<int> Indices(in OpContext context, int volumes) =>
        MemoryMarshal.Cast<float, int>(context.Scratch(0))[..(volumes * _geometry.OutputVolume)];

    public override string ToString() => $"MaxPool3D({Window}{(CeilMode ? ", ceil" : "")})";
}
