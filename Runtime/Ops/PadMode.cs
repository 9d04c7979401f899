namespace Simd.Runtime.Ops;

/// <summary>What <see cref="PadOp"/> puts outside the input (ONNX's Pad modes; numpy's names).</summary>
public enum PadMode
{
    /// <summary>A constant value.</summary>
    Constant,
    /// <summary>The input mirrored about its first and last elements, which are not repeated: [a b c] → b [a b c] b.</summary>
    Reflect,
    /// <summary>The first and last elements repeated: [a b c] → a [a b c] c.</summary>
    Edge,
    /// <summary>The input repeated around: [a b c] → c [a b c] a.</summary>
    Wrap,
}
