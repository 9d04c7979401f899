namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Window of a 2-D pooling over NCHW planes, as ONNX <c>MaxPool</c>/<c>AveragePool</c> define it:
/// out = floor or ceil((in + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride) + 1, where ceil mode drops a
/// last window that would start past the input and its begin padding (as PyTorch and the ONNX reference do).
/// </summary>
public readonly struct Pool2DGeometry
{
    public Pool2DGeometry(int inputHeight, int inputWidth, int kernelHeight, int kernelWidth,
        int strideHeight = 1, int strideWidth = 1, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0,
        int dilationHeight = 1, int dilationWidth = 1, bool ceilMode = false)
    {
        Positive("input height", inputHeight);
        Positive("input width", inputWidth);
        Positive("kernel height", kernelHeight);
        Positive("kernel width", kernelWidth);
        Positive("stride height", strideHeight);
        Positive("stride width", strideWidth);
        Positive("dilation height", dilationHeight);
        Positive("dilation width", dilationWidth);
        NotNegative("padding top", padTop);
        NotNegative("padding left", padLeft);
        NotNegative("padding bottom", padBottom);
        NotNegative("padding right", padRight);
        OutputHeight = OutputSize("height", inputHeight, kernelHeight, strideHeight, padTop, padBottom, dilationHeight, ceilMode);
        OutputWidth = OutputSize("width", inputWidth, kernelWidth, strideWidth, padLeft, padRight, dilationWidth, ceilMode);
        InputHeight = inputHeight; InputWidth = inputWidth; KernelHeight = kernelHeight; KernelWidth = kernelWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth;
        PadTop = padTop; PadLeft = padLeft; PadBottom = padBottom; PadRight = padRight;
        DilationHeight = dilationHeight; DilationWidth = dilationWidth; CeilMode = ceilMode;
    }

    /// <summary>A geometry whose padding follows ONNX <paramref name="autoPad"/> (<see cref="AutoPadding.Resolve"/>); NotSet means none.</summary>
    public static Pool2DGeometry WithAutoPad(AutoPad autoPad, int inputHeight, int inputWidth, int kernelHeight, int kernelWidth,
        int strideHeight = 1, int strideWidth = 1, int dilationHeight = 1, int dilationWidth = 1, bool ceilMode = false)
    {
        var (top, bottom) = autoPad == AutoPad.NotSet ? (0, 0) : AutoPadding.Resolve(autoPad, inputHeight, kernelHeight, strideHeight, dilationHeight);
        var (left, right) = autoPad == AutoPad.NotSet ? (0, 0) : AutoPadding.Resolve(autoPad, inputWidth, kernelWidth, strideWidth, dilationWidth);
        return new Pool2DGeometry(inputHeight, inputWidth, kernelHeight, kernelWidth, strideHeight, strideWidth,
            top, left, bottom, right, dilationHeight, dilationWidth, ceilMode);
    }

    public int InputHeight { get; }
    public int InputWidth { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int PadTop { get; }
    public int PadLeft { get; }
    public int PadBottom { get; }
    public int PadRight { get; }
    public int DilationHeight { get; }
    public int DilationWidth { get; }
    public bool CeilMode { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    /// <summary>H·W: elements of one input plane.</summary>
    public int InputPlane => InputHeight * InputWidth;
    /// <summary>outH·outW: elements of one output plane.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    public override string ToString() =>
        $"{InputHeight}x{InputWidth} -> {OutputHeight}x{OutputWidth} kernel {KernelHeight}x{KernelWidth} stride {StrideHeight}x{StrideWidth} " +
        $"pads {PadTop},{PadLeft},{PadBottom},{PadRight} dilation {DilationHeight}x{DilationWidth}{(CeilMode ? " ceil" : "")}";

    private static void Positive(string what, int value)
    {
        if (value < 1) throw new ArgumentException($"Pooling: {what} must be at least 1; got {value}.");
    }

    private static void NotNegative(string what, int value)
    {
        if (value < 0) throw new ArgumentException($"Pooling: {what} must not be negative; got {value}.");
    }

    internal static int OutputSize(string axis, int input, int kernel, int stride, int begin, int end, int dilation, bool ceil)
    {
        long span = (long)dilation * (kernel - 1) + 1, padded = (long)input + begin + end;
        if (span > padded)
            throw new ArgumentException($"Pooling: the kernel {axis} {kernel} (spanning {span} with dilation {dilation}) exceeds the padded input {axis} {padded} (input {input} + padding {begin} + {end}).");
        if (begin >= span || end >= span)
            throw new ArgumentException($"Pooling: padding {begin} + {end} on the {axis} must be smaller than the kernel's span {span}; a window would hold padding only.");
        long output = ceil ? (padded - span + stride - 1) / stride + 1 : (padded - span) / stride + 1;
        if (ceil && (output - 1) * stride >= input + begin) output--;
        if (output > int.MaxValue) throw new ArgumentException($"Pooling: an output {axis} of {output} exceeds a span's length.");
        return (int)output;
    }
}
