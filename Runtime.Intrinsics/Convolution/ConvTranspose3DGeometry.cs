namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Shape of a 3-D transposed convolution over NCDHW (ONNX <c>ConvTranspose</c> with three spatial axes): input
/// [C, D, H, W], weights [C, M/groups, kD, kH, kW], output [M, outD, outH, outW] with, along each axis,
/// out = stride·(in − 1) + outputPadding + dilation·(kernel − 1) + 1 − padBegin − padEnd.
/// </summary>
public readonly struct ConvTranspose3DGeometry
{
    public ConvTranspose3DGeometry(int channels, int inputDepth, int inputHeight, int inputWidth, int outputChannels,
        WindowAxis depth, WindowAxis height, WindowAxis width, int groups = 1,
        int outputPaddingDepth = 0, int outputPaddingHeight = 0, int outputPaddingWidth = 0)
    {
        foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("input channels", channels), ("input depth", inputDepth), ("input height", inputHeight),
            ("input width", inputWidth), ("output channels", outputChannels), ("groups", groups)])
            if (value < 1) throw new ArgumentException($"ConvTranspose3D: the {what} must be at least 1; got {value}.");
        if (channels % groups != 0 || outputChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose3D: {groups} groups do not divide {channels} input and {outputChannels} output channels.");
        OutputDepth = Output("depth", inputDepth, depth, outputPaddingDepth);
        OutputHeight = Output("height", inputHeight, height, outputPaddingHeight);
        OutputWidth = Output("width", inputWidth, width, outputPaddingWidth);
        (Channels, InputDepth, InputHeight, InputWidth, OutputChannels, Groups) = (channels, inputDepth, inputHeight, inputWidth, outputChannels, groups);
        (Depth, Height, Width) = (depth, height, width);
        long columns = (long)outputChannels / groups * depth.Kernel * height.Kernel * width.Kernel;
        if (columns * inputDepth * inputHeight * inputWidth > int.MaxValue || (long)outputChannels * OutputDepth * OutputHeight * OutputWidth > int.MaxValue
            || (long)channels * columns > int.MaxValue)
            throw new ArgumentException($"ConvTranspose3D: {this} needs more elements than a span holds.");
    }

    public int Channels { get; }
    public int InputDepth { get; }
    public int InputHeight { get; }
    public int InputWidth { get; }
    public int OutputChannels { get; }
    public int Groups { get; }
    public WindowAxis Depth { get; }
    public WindowAxis Height { get; }
    public WindowAxis Width { get; }
    public int OutputDepth { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    public int ChannelsPerGroup => Channels / Groups;
    public int OutputsPerGroup => OutputChannels / Groups;
    /// <summary>kD·kH·kW.</summary>
    public int Taps => Depth.Kernel * Height.Kernel * Width.Kernel;
    /// <summary>Rows of a group's columns: its output channels times the taps (M/groups·kD·kH·kW).</summary>
    public int ColumnRows => OutputsPerGroup * Taps;
    public int InputVolume => InputDepth * InputHeight * InputWidth;
    public int OutputVolume => OutputDepth * OutputHeight * OutputWidth;
    /// <summary>Elements of the weights: C·M/groups·kD·kH·kW.</summary>
    public int WeightLength => Channels * ColumnRows;
    /// <summary>Floats of the workspace: one sample's columns of one group.</summary>
    public int WorkspaceLength => ColumnRows * InputVolume;

    public override string ToString() =>
        $"{Channels}x{InputDepth}x{InputHeight}x{InputWidth} -> {OutputChannels}x{OutputDepth}x{OutputHeight}x{OutputWidth} depth {Depth}, height {Height}, width {Width}" +
        (Groups == 1 ? "" : $" groups {Groups}");

    private static int Output(string name, int input, WindowAxis axis, int outputPadding)
    {
        if (axis.Kernel < 1 || axis.Stride < 1 || axis.Dilation < 1 || axis.PadBegin < 0 || axis.PadEnd < 0)
            throw new ArgumentException($"ConvTranspose3D: the {name} window ({axis}) needs a kernel, stride and dilation of at least 1 and pads of at least 0.");
        if (outputPadding < 0 || outputPadding >= Math.Max(axis.Stride, axis.Dilation))
            throw new ArgumentException($"ConvTranspose3D: output padding {outputPadding} on the {name} must be at least 0 and below the stride ({axis.Stride}) or the dilation ({axis.Dilation}).");
        long output = (long)axis.Stride * (input - 1) + outputPadding + axis.Span - axis.PadBegin - axis.PadEnd;
        if (output < 1 || output > 1 << 24)
            throw new ArgumentException($"ConvTranspose3D: an input {name} of {input} with {axis} gives an output {name} of {output}; expected at least 1.");
        return (int)output;
    }
}
