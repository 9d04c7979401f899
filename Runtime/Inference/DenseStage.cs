using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>y = act(x·W + b) in one GEMM call, bias and activation in its epilogue.</summary>
internal sealed class DenseStage : InferenceStage
{
    private readonly float[] weights;
    private readonly float[] bias;
    private readonly ActivationKind activation;
    private readonly float alpha;

    public DenseStage(DenseStep step) : base(step.Inputs, step.Outputs)
    {
        weights = step.Weights;
        bias = step.Bias;
        activation = step.Activation;
        alpha = step.Alpha;
    }

    public override void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads) =>
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, OutputSize, InputSize, 1f, x, InputSize, weights, OutputSize,
            0f, y, OutputSize, new GemmEpilogue(bias, activation, alpha), threads);

    public override string ToString() => $"Dense({InputSize}→{OutputSize}, {activation})";
}
