namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Window of a 3-D pooling over NCDHW volumes, as ONNX <c>MaxPool</c>/<c>AveragePool</c> define it with three spatial
/// axes: along each, out = floor or ceil((in + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride) + 1, the
/// same rule as <see cref="Pool2DGeometry"/> (ceil mode drops a last window that would start in the end padding).
/// </summary>
public readonly struct Pool3DGeometry
{
    public Pool3DGeometry(int inputDepth, int inputHeight, int inputWidth, WindowAxis depth, WindowAxis height, WindowAxis width, bool ceilMode = false)
    {
        OutputDepth = Output("depth", inputDepth, depth, ceilMode);
        OutputHeight = Output("height", inputHeight, height, ceilMode);
        OutputWidth = Output("width", inputWidth, width, ceilMode);
        (InputDepth, InputHeight, InputWidth) = (inputDepth, inputHeight, inputWidth);
        (Depth, Height, Width, CeilMode) = (depth, height, width, ceilMode);
        if ((long)inputDepth * inputHeight * inputWidth > int.MaxValue || (long)OutputDepth * OutputHeight * OutputWidth > int.MaxValue)
            throw new ArgumentException($"Pooling: a volume of {this} exceeds a span's length.");
    }

    /// <summary>A geometry whose padding follows ONNX <paramref name="autoPad"/> (<see cref="AutoPadding.Resolve"/>) on every axis; NotSet keeps the axes' pads.</summary>
    public static Pool3DGeometry WithAutoPad(AutoPad autoPad, int inputDepth, int inputHeight, int inputWidth,
        WindowAxis depth, WindowAxis height, WindowAxis width, bool ceilMode = false) =>
        new(inputDepth, inputHeight, inputWidth, Resolve(autoPad, inputDepth, depth), Resolve(autoPad, inputHeight, height),
            Resolve(autoPad, inputWidth, width), ceilMode);

    public int InputDepth { get; }
    public int InputHeight { get; }
    public int InputWidth { get; }
    public WindowAxis Depth { get; }
    public WindowAxis Height { get; }
    public WindowAxis Width { get; }
    public bool CeilMode { get; }
    public int OutputDepth { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    /// <summary>D·H·W: elements of one input volume.</summary>
    public int InputVolume => InputDepth * InputHeight * InputWidth;
    /// <summary>outD·outH·outW: elements of one output volume.</summary>
    public int OutputVolume => OutputDepth * OutputHeight * OutputWidth;

    public override string ToString() =>
        $"{InputDepth}x{InputHeight}x{InputWidth} -> {OutputDepth}x{OutputHeight}x{OutputWidth} depth {Depth}, height {Height}, width {Width}{(CeilMode ? " ceil" : "")}";

    private static WindowAxis Resolve(AutoPad mode, int input, WindowAxis axis)
    {
        if (mode == AutoPad.NotSet) return axis;
        var (begin, end) = AutoPadding.Resolve(mode, input, axis.Kernel, axis.Stride, axis.Dilation);
        return axis with { PadBegin = begin, PadEnd = end };
    }

    private static int Output(string name, int input, WindowAxis axis, bool ceil)
    {
        foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("input", input), ("kernel", axis.Kernel), ("stride", axis.Stride), ("dilation", axis.Dilation)])
            if (value < 1) throw new ArgumentException($"Pooling: the {what} {name} must be at least 1; got {value}.");
        if (axis.PadBegin < 0 || axis.PadEnd < 0)
            throw new ArgumentException($"Pooling: padding on the {name} must not be negative; got {axis.PadBegin} + {axis.PadEnd}.");
        return Pool2DGeometry.OutputSize(name, input, axis.Kernel, axis.Stride, axis.PadBegin, axis.PadEnd, axis.Dilation, ceil);
    }
}
