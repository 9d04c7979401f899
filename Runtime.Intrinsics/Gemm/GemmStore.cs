namespace Simd.Runtime.Intrinsics;

/// <summary>
/// How a kernel writes its accumulators to C: <c>c = alpha·acc (+ beta·c when ReadC) (+ bias[j]) (max(·, 0) when
/// Relu)</c>. K blocks after the first use beta = 1; only the last K block adds the bias and activation.
/// </summary>
internal readonly unsafe struct GemmStore(float alpha, float beta, bool readC, float* bias, bool relu)
{
    public readonly float Alpha = alpha;
    public readonly float Beta = beta;
    public readonly bool ReadC = readC;

    /// <summary>Bias at the kernel's first column, or null.</summary>
    public readonly float* Bias = bias;

    public readonly bool Relu = relu;

    public GemmStore WithBias(float* bias) => new(Alpha, Beta, ReadC, bias, Relu);
}
