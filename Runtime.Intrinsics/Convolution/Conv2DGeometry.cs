namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Shape of a 2-D convolution over NCHW float32 tensors, as ONNX <c>Conv</c> defines it: input
/// [N × C × H × W], weights [M × C/groups × kH × kW], output [N × M × outH × outW] with
/// outH = (H + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH + 1 (and likewise for the width).
/// The constructor validates every field, so a geometry that exists describes a convolution that can run.
/// </summary>
public readonly struct Conv2DGeometry : IEquatable<Conv2DGeometry>
{
    public Conv2DGeometry(int inputChannels, int inputHeight, int inputWidth, int outputChannels,
        int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1,
        int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0,
        int dilationHeight = 1, int dilationWidth = 1, int groups = 1)
    {
        Positive("input channels", inputChannels);
        Positive("input height", inputHeight);
        Positive("input width", inputWidth);
        Positive("output channels", outputChannels);
        Positive("kernel height", kernelHeight);
        Positive("kernel width", kernelWidth);
        Positive("stride height", strideHeight);
        Positive("stride width", strideWidth);
        Positive("dilation height", dilationHeight);
        Positive("dilation width", dilationWidth);
        Positive("groups", groups);
        NotNegative("padding top", padTop);
        NotNegative("padding left", padLeft);
        NotNegative("padding bottom", padBottom);
        NotNegative("padding right", padRight);
        if (inputChannels % groups != 0)
            throw new ArgumentException($"Conv2D: {inputChannels} input channels do not divide into {groups} groups.");
        if (outputChannels % groups != 0)
            throw new ArgumentException($"Conv2D: {outputChannels} output channels do not divide into {groups} groups.");
        OutputHeight = OutputSize("height", inputHeight, kernelHeight, strideHeight, padTop, padBottom, dilationHeight);
        OutputWidth = OutputSize("width", inputWidth, kernelWidth, strideWidth, padLeft, padRight, dilationWidth);
        InputChannels = inputChannels; InputHeight = inputHeight; InputWidth = inputWidth;
        OutputChannels = outputChannels; KernelHeight = kernelHeight; KernelWidth = kernelWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth;
        PadTop = padTop; PadLeft = padLeft; PadBottom = padBottom; PadRight = padRight;
        DilationHeight = dilationHeight; DilationWidth = dilationWidth; Groups = groups;
        long column = (long)inputChannels / groups * kernelHeight * kernelWidth;
        long largest = Math.Max(Math.Max((long)inputChannels * inputHeight * inputWidth,
            (long)outputChannels * OutputHeight * OutputWidth), Math.Max(column * outputChannels, column * OutputHeight * OutputWidth));
        if (largest > int.MaxValue)
            throw new ArgumentException($"Conv2D: a tensor of {largest} elements per sample exceeds a span's length.");
    }

    /// <summary>
    /// A geometry whose padding follows ONNX <paramref name="autoPad"/> (<see cref="AutoPadding.Resolve"/>);
    /// <see cref="AutoPad.NotSet"/> means no padding here (pass explicit pads to the constructor instead).
    /// </summary>
    public static Conv2DGeometry WithAutoPad(AutoPad autoPad, int inputChannels, int inputHeight, int inputWidth,
        int outputChannels, int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1,
        int dilationHeight = 1, int dilationWidth = 1, int groups = 1)
    {
        var (top, bottom) = autoPad == AutoPad.NotSet ? (0, 0) : AutoPadding.Resolve(autoPad, inputHeight, kernelHeight, strideHeight, dilationHeight);
        var (left, right) = autoPad == AutoPad.NotSet ? (0, 0) : AutoPadding.Resolve(autoPad, inputWidth, kernelWidth, strideWidth, dilationWidth);
        return new Conv2DGeometry(inputChannels, inputHeight, inputWidth, outputChannels, kernelHeight, kernelWidth,
            strideHeight, strideWidth, top, left, bottom, right, dilationHeight, dilationWidth, groups);
    }

    public int InputChannels { get; }
    public int InputHeight { get; }
    public int InputWidth { get; }
    public int OutputChannels { get; }
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
    public int Groups { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    public int InputChannelsPerGroup => InputChannels / Groups;
    public int OutputChannelsPerGroup => OutputChannels / Groups;
    /// <summary>C·H·W: elements of one input sample.</summary>
    public int InputLength => InputChannels * InputHeight * InputWidth;
    /// <summary>M·outH·outW: elements of one output sample.</summary>
    public int OutputLength => OutputChannels * OutputPlane;
    /// <summary>outH·outW: elements of one output channel.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;
    /// <summary>H·W: elements of one input channel.</summary>
    public int InputPlane => InputHeight * InputWidth;
    /// <summary>C/groups·kH·kW: weights of one output channel, the rows of one group's column matrix.</summary>
    public int ColumnRows => InputChannelsPerGroup * KernelHeight * KernelWidth;
    /// <summary>M·C/groups·kH·kW: elements of the weight tensor.</summary>
    public int WeightLength => OutputChannels * ColumnRows;
    /// <summary>True when the convolution is a plain matrix product over the input (1×1, stride 1, no padding).</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 &&
        PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;

    /// <summary>Floating-point operations of a forward pass over <paramref name="batch"/> samples (2 per multiply-add).</summary>
    public double Flops(int batch) => 2.0 * batch * OutputLength * ColumnRows;

    public override string ToString() =>
        $"{InputChannels}x{InputHeight}x{InputWidth} -> {OutputChannels}x{OutputHeight}x{OutputWidth} kernel {KernelHeight}x{KernelWidth} " +
        $"stride {StrideHeight}x{StrideWidth} pads {PadTop},{PadLeft},{PadBottom},{PadRight} dilation {DilationHeight}x{DilationWidth} groups {Groups}";

    public bool Equals(Conv2DGeometry other) =>
        InputChannels == other.InputChannels && InputHeight == other.InputHeight && InputWidth == other.InputWidth &&
        OutputChannels == other.OutputChannels && KernelHeight == other.KernelHeight && KernelWidth == other.KernelWidth &&
        StrideHeight == other.StrideHeight && StrideWidth == other.StrideWidth && PadTop == other.PadTop &&
        PadLeft == other.PadLeft && PadBottom == other.PadBottom && PadRight == other.PadRight &&
        DilationHeight == other.DilationHeight && DilationWidth == other.DilationWidth && Groups == other.Groups;

    public override bool Equals(object? obj) => obj is Conv2DGeometry other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        HashCode.Combine(InputChannels, InputHeight, InputWidth, OutputChannels, KernelHeight, KernelWidth, StrideHeight, StrideWidth),
        HashCode.Combine(PadTop, PadLeft, PadBottom, PadRight, DilationHeight, DilationWidth, Groups));

    public static bool operator ==(Conv2DGeometry left, Conv2DGeometry right) => left.Equals(right);
    public static bool operator !=(Conv2DGeometry left, Conv2DGeometry right) => !left.Equals(right);

    private static void Positive(string what, int value)
    {
        if (value < 1) throw new ArgumentException($"Conv2D: {what} must be at least 1; got {value}.");
    }

    private static void NotNegative(string what, int value)
    {
        if (value < 0) throw new ArgumentException($"Conv2D: {what} must not be negative; got {value}.");
    }

    private static int OutputSize(string axis, int input, int kernel, int stride, int begin, int end, int dilation)
    {
        long span = (long)dilation * (kernel - 1) + 1, padded = (long)input + begin + end;
        if (span > padded)
            throw new ArgumentException(span == kernel
                ? $"Conv2D: kernel {axis} {kernel} exceeds the padded input {axis} {padded} (input {input} + padding {begin} + {end})."
                : $"Conv2D: kernel {axis} {kernel} dilated by {dilation} spans {span}, more than the padded input {axis} {padded} (input {input} + padding {begin} + {end}).");
        return (int)((padded - span) / stride + 1);
    }
}
