namespace Simd.Runtime.Intrinsics;

/// <summary>
/// One spatial axis of a sliding window (ONNX's <c>kernel_shape</c>, <c>strides</c>, <c>pads</c> begin and end and
/// <c>dilations</c> at one index): taps o·stride − padBegin + k·dilation for k in [0, kernel).
/// </summary>
public readonly record struct WindowAxis(int Kernel, int Stride = 1, int PadBegin = 0, int PadEnd = 0, int Dilation = 1)
{
    /// <summary>The input positions one window covers, first tap to last.</summary>
    public long Span => (long)Dilation * (Kernel - 1) + 1;

    /// <summary>Taps of window <paramref name="o"/> that count: inside [−padBegin, input + padEnd), or inside [0, input).</summary>
    internal int Taps(int o, int input, bool includePad)
    {
        int low = includePad ? -PadBegin : 0, high = includePad ? input + PadEnd : input, count = 0;
        for (int k = 0, i = o * Stride - PadBegin; k < Kernel; k++, i += Dilation)
            if (i >= low && i < high) count++;
        return count;
    }

    public override string ToString() =>
        $"kernel {Kernel}" + (Stride == 1 ? "" : $" stride {Stride}") + ((PadBegin | PadEnd) == 0 ? "" : $" pads {PadBegin},{PadEnd}") +
        (Dilation == 1 ? "" : $" dilation {Dilation}");
}
