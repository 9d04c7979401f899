namespace Simd.Runtime.Intrinsics;

/// <summary>ONNX's <c>auto_pad</c>: how padding is derived when it is not given explicitly.</summary>
public enum AutoPad
{
    /// <summary>The explicit pads are used (ONNX <c>NOTSET</c>).</summary>
    NotSet,
    /// <summary>Output size ceil(input / stride); an odd total pad puts the extra row or column at the end.</summary>
    SameUpper,
    /// <summary>Output size ceil(input / stride); an odd total pad puts the extra row or column at the start.</summary>
    SameLower,
    /// <summary>No padding.</summary>
    Valid,
}

/// <summary>Padding of one spatial axis as ONNX resolves <see cref="AutoPad"/>.</summary>
public static class AutoPadding
{
    /// <summary>
    /// (begin, end) padding of an axis of <paramref name="input"/> elements for a kernel of <paramref name="kernel"/>
    /// taps, <paramref name="stride"/> and <paramref name="dilation"/>: for SAME_* the total is
    /// max(0, (ceil(input/stride) − 1)·stride + (kernel − 1)·dilation + 1 − input), split half and half with the odd
    /// one at the end (upper) or start (lower); VALID gives (0, 0). <see cref="AutoPad.NotSet"/> has no rule and throws.
    /// </summary>
    public static (int Begin, int End) Resolve(AutoPad mode, int input, int kernel, int stride, int dilation)
    {
        if (mode == AutoPad.Valid) return (0, 0);
        if (mode is not (AutoPad.SameUpper or AutoPad.SameLower))
            throw new ArgumentException($"auto_pad {mode} does not derive padding; pass the pads explicitly.");
        if (input < 1 || kernel < 1 || stride < 1 || dilation < 1)
            throw new ArgumentException($"auto_pad needs positive sizes; got input {input}, kernel {kernel}, stride {stride}, dilation {dilation}.");
        long output = (input + (long)stride - 1) / stride;
        long total = Math.Max(0, (output - 1) * stride + (long)(kernel - 1) * dilation + 1 - input);
        int small = (int)(total / 2), large = (int)(total - total / 2);
        return mode == AutoPad.SameUpper ? (small, large) : (large, small);
    }
}
