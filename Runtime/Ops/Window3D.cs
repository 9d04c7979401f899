using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// The sliding window of a 3-D pooling or transposed convolution over volumes [C, D, H, W] (ONNX's
/// <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>, <c>auto_pad</c>, <c>dilations</c> with three spatial axes): one
/// <see cref="WindowAxis"/> per axis with explicit pads, or padding derived from the input by <see cref="AutoPad"/>,
/// in which case the explicit pads are zero. <see cref="Window2D"/>'s rules and attribute names, over three axes.
/// </summary>
public readonly record struct Window3D
{
    public Window3D(WindowAxis depth, WindowAxis height, WindowAxis width, AutoPad autoPad = AutoPad.NotSet)
    {
        foreach (var (name, axis) in (ReadOnlySpan<(string, WindowAxis)>)[("depth", depth), ("height", height), ("width", width)])
        {
            foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("kernel", axis.Kernel), ("stride", axis.Stride), ("dilation", axis.Dilation)])
                if (value < 1 || value > Window2D.Largest)
                    throw new ArgumentException($"The window's {what} {name} is {value}, expected a value in [1, {Window2D.Largest}].");
            foreach (var (what, value) in (ReadOnlySpan<(string, int)>)[("begin", axis.PadBegin), ("end", axis.PadEnd)])
                if (value < 0 || value > Window2D.Largest)
                    throw new ArgumentException($"The window's padding at the {what} of the {name} is {value}, expected a value in [0, {Window2D.Largest}].");
        }
        if (!Enum.IsDefined(autoPad)) throw new ArgumentException($"The window's automatic padding {(int)autoPad} is not one of {Window2D.AutoPadList}.");
        if (autoPad != AutoPad.NotSet && (depth.PadBegin | depth.PadEnd | height.PadBegin | height.PadEnd | width.PadBegin | width.PadEnd) != 0)
            throw new ArgumentException($"The window's padding is both explicit ({Pads(depth, height, width)}) and {Window2D.AutoPadName(autoPad)}; give one.");
        (Depth, Height, Width, AutoPad) = (depth, height, width, autoPad);
    }

    /// <summary>A cubic kernel with one stride, padding on every side and dilation.</summary>
    public static Window3D Cube(int kernel, int stride = 1, int pad = 0, int dilation = 1)
    {
        var axis = new WindowAxis(kernel, stride, pad, pad, dilation);
        return new(axis, axis, axis);
    }

    public WindowAxis Depth { get; }
    public WindowAxis Height { get; }
    public WindowAxis Width { get; }
    public AutoPad AutoPad { get; }

    /// <summary>The pooling of this window over a depth × height × width volume.</summary>
    internal Pool3DGeometry Pooling(int depth, int height, int width, bool ceilMode) =>
        Pool3DGeometry.WithAutoPad(AutoPad, depth, height, width, Depth, Height, Width, ceilMode);

    /// <summary>Writes <c>kernel</c>, <c>stride</c>, <c>pads</c> (the three begins, then the three ends, as ONNX orders them), <c>auto_pad</c> and <c>dilation</c>.</summary>
    internal void Write(OpAttributes attributes) => attributes
        .Set("kernel", [Depth.Kernel, Height.Kernel, Width.Kernel])
        .Set("stride", [Depth.Stride, Height.Stride, Width.Stride])
        .Set("pads", [Depth.PadBegin, Height.PadBegin, Width.PadBegin, Depth.PadEnd, Height.PadEnd, Width.PadEnd])
        .Set("auto_pad", Window2D.AutoPadName(AutoPad))
        .Set("dilation", [Depth.Dilation, Height.Dilation, Width.Dilation]);

    /// <summary>Reads what <see cref="Write"/> writes, with a message naming the attribute for any value out of range.</summary>
    internal static Window3D Read(OpAttributes a)
    {
        long[] kernel = Window2D.List(a, "kernel", 3, 1), stride = Window2D.List(a, "stride", 3, 1), pads = Window2D.List(a, "pads", 6, 0),
            dilation = Window2D.List(a, "dilation", 3, 1);
        string name = a.GetString("auto_pad");
        AutoPad? mode = null;
        foreach (var (n, m) in Window2D.AutoPadNames)
            if (n == name) mode = m;
        if (mode is null) throw a.Bad("auto_pad", $"is '{name}', expected one of {Window2D.AutoPadList}");
        if (mode != AutoPad.NotSet && pads.Any(p => p != 0))
            throw a.Bad("pads", $"is [{string.Join(", ", pads)}] with auto_pad '{name}', expected [0, 0, 0, 0, 0, 0] (or auto_pad 'explicit')");
        WindowAxis Axis(int i) => new((int)kernel[i], (int)stride[i], (int)pads[i], (int)pads[3 + i], (int)dilation[i]);
        return new Window3D(Axis(0), Axis(1), Axis(2), mode.Value);
    }

    public override string ToString() =>
        $"{Depth.Kernel}×{Height.Kernel}×{Width.Kernel}" +
        (Depth.Stride == 1 && Height.Stride == 1 && Width.Stride == 1 ? "" : $" stride {Depth.Stride}×{Height.Stride}×{Width.Stride}") +
        (AutoPad != AutoPad.NotSet ? $" pad {Window2D.AutoPadName(AutoPad)}"
            : (Depth.PadBegin | Depth.PadEnd | Height.PadBegin | Height.PadEnd | Width.PadBegin | Width.PadEnd) == 0 ? "" : $" pad {Pads(Depth, Height, Width)}") +
        (Depth.Dilation == 1 && Height.Dilation == 1 && Width.Dilation == 1 ? "" : $" dilation {Depth.Dilation}×{Height.Dilation}×{Width.Dilation}");

    private static string Pads(WindowAxis d, WindowAxis h, WindowAxis w) => $"{d.PadBegin},{h.PadBegin},{w.PadBegin},{d.PadEnd},{h.PadEnd},{w.PadEnd}";
}
