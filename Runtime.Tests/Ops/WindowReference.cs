using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Ops;

/// <summary>A window's padding and output size worked out from ONNX's rules, apart from the kernels' geometries.</summary>
internal static class WindowReference
{
    /// <summary>(top, left, bottom, right) padding of <paramref name="w"/> over an h × w plane.</summary>
    public static (int Top, int Left, int Bottom, int Right) Pads(Window2D w, int height, int width)
    {
        if (w.AutoPad == AutoPad.NotSet) return (w.PadTop, w.PadLeft, w.PadBottom, w.PadRight);
        var (top, bottom) = Axis(w.AutoPad, height, w.KernelHeight, w.StrideHeight, w.DilationHeight);
        var (left, right) = Axis(w.AutoPad, width, w.KernelWidth, w.StrideWidth, w.DilationWidth);
        return (top, left, bottom, right);
    }

    /// <summary>SAME_*: a total that gives ceil(input/stride) outputs, the odd one at the end (upper) or start (lower).</summary>
    private static (int Begin, int End) Axis(AutoPad mode, int input, int kernel, int stride, int dilation)
    {
        if (mode == AutoPad.Valid) return (0, 0);
        int outputs = (input + stride - 1) / stride;
        int total = Math.Max(0, (outputs - 1) * stride + (kernel - 1) * dilation + 1 - input);
        return mode == AutoPad.SameUpper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
    }

    /// <summary>Outputs along an axis; ceil mode keeps a last partial window unless it starts in the end padding.</summary>
    public static int Outputs(int input, int kernel, int stride, int begin, int end, int dilation, bool ceil = false)
    {
        int span = dilation * (kernel - 1) + 1, padded = input + begin + end;
        if (!ceil) return (padded - span) / stride + 1;
        int outputs = (padded - span + stride - 1) / stride + 1;
        return (outputs - 1) * stride >= input + begin ? outputs - 1 : outputs;
    }
}
