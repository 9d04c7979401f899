using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// The sliding window a convolution or a pooling runs over an image (ONNX's <c>kernel_shape</c>, <c>strides</c>,
/// <c>pads</c>, <c>auto_pad</c>, <c>dilations</c>): explicit pads (top, left, bottom, right), or padding derived from
/// the input by <see cref="AutoPad"/>, in which case the explicit pads are zero. The sizes against the input are
/// checked by the kernels' geometries when the op learns its input shape.
/// </summary>
public readonly record struct Window2D
{
    internal static readonly (string Name, AutoPad Mode)[] AutoPadNames =
        [("explicit", AutoPad.NotSet), ("same-upper", AutoPad.SameUpper), ("same-lower", AutoPad.SameLower), ("valid", AutoPad.Valid)];

    internal const int Largest = 1 << 24;

    public Window2D(int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1,
        int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0,
        int dilationHeight = 1, int dilationWidth = 1, AutoPad autoPad = AutoPad.NotSet)
    {
        foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("kernel height", kernelHeight), ("kernel width", kernelWidth),
            ("stride height", strideHeight), ("stride width", strideWidth), ("dilation height", dilationHeight), ("dilation width", dilationWidth)])
            if (value < 1 || value > Largest) throw new ArgumentException($"The window's {what} is {value}, expected a value in [1, {Largest}].");
        foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("top", padTop), ("left", padLeft), ("bottom", padBottom), ("right", padRight)])
            if (value < 0 || value > Largest) throw new ArgumentException($"The window's padding at the {what} is {value}, expected a value in [0, {Largest}].");
        if (!Enum.IsDefined(autoPad)) throw new ArgumentException($"The window's automatic padding {(int)autoPad} is not one of {AutoPadList}.");
        if (autoPad != AutoPad.NotSet && (padTop | padLeft | padBottom | padRight) != 0)
            throw new ArgumentException($"The window's padding is both explicit ({padTop}, {padLeft}, {padBottom}, {padRight}) and {AutoPadName(autoPad)}; give one.");
        (KernelHeight, KernelWidth, StrideHeight, StrideWidth) = (kernelHeight, kernelWidth, strideHeight, strideWidth);
        (PadTop, PadLeft, PadBottom, PadRight) = (padTop, padLeft, padBottom, padRight);
        (DilationHeight, DilationWidth, AutoPad) = (dilationHeight, dilationWidth, autoPad);
    }

    /// <summary>A square kernel with one stride, padding on every side and dilation.</summary>
    public static Window2D Square(int kernel, int stride = 1, int pad = 0, int dilation = 1) =>
        new(kernel, kernel, stride, stride, pad, pad, pad, pad, dilation, dilation);

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
    public AutoPad AutoPad { get; }

    /// <summary>The convolution of this window over a [<paramref name="channels"/>, height, width] sample.</summary>
    internal Conv2DGeometry Convolution(int channels, int height, int width, int outputChannels, int groups) =>
        AutoPad == AutoPad.NotSet
            ? new Conv2DGeometry(channels, height, width, outputChannels, KernelHeight, KernelWidth, StrideHeight, StrideWidth,
                PadTop, PadLeft, PadBottom, PadRight, DilationHeight, DilationWidth, groups)
            : Conv2DGeometry.WithAutoPad(AutoPad, channels, height, width, outputChannels, KernelHeight, KernelWidth,
                StrideHeight, StrideWidth, DilationHeight, DilationWidth, groups);

    /// <summary>The pooling of this window over a height × width plane.</summary>
    internal Pool2DGeometry Pooling(int height, int width, bool ceilMode) =>
        AutoPad == AutoPad.NotSet
            ? new Pool2DGeometry(height, width, KernelHeight, KernelWidth, StrideHeight, StrideWidth,
                PadTop, PadLeft, PadBottom, PadRight, DilationHeight, DilationWidth, ceilMode)
            : Pool2DGeometry.WithAutoPad(AutoPad, height, width, KernelHeight, KernelWidth, StrideHeight, StrideWidth,
                DilationHeight, DilationWidth, ceilMode);

    /// <summary>Writes <c>kernel</c>, <c>stride</c>, <c>pads</c>, <c>auto_pad</c> and <c>dilation</c>.</summary>
    internal void Write(OpAttributes attributes) => attributes
        .Set("kernel", [KernelHeight, KernelWidth])
        .Set("stride", [StrideHeight, StrideWidth])
        .Set("pads", [PadTop, PadLeft, PadBottom, PadRight])
        .Set("auto_pad", AutoPadName(AutoPad))
        .Set("dilation", [DilationHeight, DilationWidth]);

    /// <summary>Reads what <see cref="Write"/> writes, with a message naming the attribute for any value out of range.</summary>
    internal static Window2D Read(OpAttributes a)
    {
        long[] kernel = List(a, "kernel", 2, 1), stride = List(a, "stride", 2, 1), pads = List(a, "pads", 4, 0), dilation = List(a, "dilation", 2, 1);
        string name = a.GetString("auto_pad");
        AutoPad? mode = null;
        foreach (var (n, m) in AutoPadNames)
            if (n == name) mode = m;
        if (mode is null) throw a.Bad("auto_pad", $"is '{name}', expected one of {AutoPadList}");
        if (mode != AutoPad.NotSet && pads.Any(p => p != 0))
            throw a.Bad("pads", $"is [{string.Join(", ", pads)}] with auto_pad '{name}', expected [0, 0, 0, 0] (or auto_pad 'explicit')");
        return new Window2D((int)kernel[0], (int)kernel[1], (int)stride[0], (int)stride[1], (int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3],
            (int)dilation[0], (int)dilation[1], mode.Value);
    }

    public override string ToString() =>
        $"{KernelHeight}×{KernelWidth}" + (StrideHeight == 1 && StrideWidth == 1 ? "" : $" stride {StrideHeight}×{StrideWidth}") +
        (AutoPad != AutoPad.NotSet ? $" pad {AutoPadName(AutoPad)}" : (PadTop | PadLeft | PadBottom | PadRight) == 0 ? "" : $" pad {PadTop},{PadLeft},{PadBottom},{PadRight}") +
        (DilationHeight == 1 && DilationWidth == 1 ? "" : $" dilation {DilationHeight}×{DilationWidth}");

    internal static string AutoPadList => string.Join(", ", AutoPadNames.Select(n => n.Name));

    internal static string AutoPadName(AutoPad mode)
    {
        foreach (var (n, m) in AutoPadNames)
            if (m == mode) return n;
        return mode.ToString();
    }

    internal static long[] List(OpAttributes a, string name, int length, long min)
    {
        long[] values = a.GetInt64s(name);
        if (values.Length != length) throw a.Bad(name, $"has {values.Length} values, expected {length}");
        foreach (long v in values)
            if (v < min || v > Largest) throw a.Bad(name, $"holds {v}, expected values in [{min}, {Largest}]");
        return values;
    }
}
