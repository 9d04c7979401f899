using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>
/// y = act(x·W + b) in one GEMM call, bias and activation in its epilogue. W is packed once, at freezing, into the
/// panel layout of the GEMM micro-kernel, so a call streams it contiguously and never packs again.
/// </summary>
internal sealed class DenseStage : InferenceStage
{
    private readonly GemmPackedB weights;
    private readonly float[] bias;
    private readonly ActivationKind activation;
    private readonly float alpha;

    public DenseStage(DenseStep step) : base(step.Inputs, step.Outputs)
    {
        weights = Gemm.PackB(MatrixOp.None, step.Inputs, step.Outputs, step.Weights, step.Outputs);
        bias = step.Bias;
        activation = step.Activation;
        alpha = step.Alpha;
    }

    public override void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads) =>
        Gemm.Multiply(rows, 1f, x, InputSize, weights, 0f, y, OutputSize, new GemmEpilogue(bias, activation, alpha), threads);

    public override void Dispose() => weights.Dispose();

    public override string ToString() => $"Dense({InputSize}→{OutputSize}, {activation})";
}
