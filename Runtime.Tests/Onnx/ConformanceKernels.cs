using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Onnx;

using BN = Simd.Runtime.Intrinsics.BatchNorm;

/// <summary>The kernels the conformance cases run, each through its internal entry that takes the width.</summary>
internal static class ConformanceKernels
{
    public static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Theory data: every case at every width.</summary>
    public static TheoryData<string, SimdWidth> CaseWidths(params string[] cases)
    {
        var data = new TheoryData<string, SimdWidth>();
        foreach (string c in cases)
            foreach (SimdWidth w in Widths) data.Add(c, w);
        return data;
    }

    public static void Activation(SimdWidth width, ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha)
        => Activations.Forward(kind, x, y, alpha, width);

    public static void Softmax(SimdWidth width, ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
        => Intrinsics.Softmax.Forward(x, y, rows, cols, width);

    public static void LogSoftmax(SimdWidth width, ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
        => Intrinsics.Softmax.LogForward(x, y, rows, cols, width);

    public static void Gemm(SimdWidth width, MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = default)
        => Intrinsics.Gemm.Multiply(width, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);

    public static void BatchNormInference(SimdWidth width, ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y) =>
        BN.ForwardInference(width, x, rows, features, scale, shift, y);

    public static void BatchNormTraining(SimdWidth width, ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd) =>
        BN.ForwardTraining(width, x, rows, features, gamma, beta, epsilon, y, mean, invStd);

    /// <summary>The convolution at <paramref name="width"/> with the algorithm the runtime chooses there.</summary>
    public static void Conv2DForward(SimdWidth width, in Conv2DGeometry g, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> y) =>
        Conv2D.Forward(width, Conv2D.Choose(width, g), g, batch, x, weights, bias, y, new float[Conv2D.WorkspaceLength(g)],
            ActivationKind.Identity, float.NaN, threads: 1);

    public static void BatchNorm2DInference(SimdWidth width, ReadOnlySpan<float> x, int batch, int channels, int plane,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y) =>
        BatchNorm2D.ForwardInference(width, x, batch, channels, plane, scale, shift, y);

    public static void GlobalAveragePool(SimdWidth width, int planes, int plane, ReadOnlySpan<float> x, Span<float> y) =>
        GlobalPool.AverageForward(width, planes, plane, x, y);

    public static void GlobalMaxPool(SimdWidth width, int planes, int plane, ReadOnlySpan<float> x, Span<float> y) =>
        GlobalPool.MaxForward(width, planes, plane, x, y, default);

    public static void Sgd(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float learningRate,
        float momentum, float dampening, float weightDecay, bool nesterov) =>
        OptimizerUpdates.Sgd(width, w, g, velocity, learningRate, momentum, dampening, weightDecay, nesterov, firstStep: false);

    public static void Adam(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, long step) =>
        OptimizerUpdates.Adam(width, w, g, m, v, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: false, step);
}
