using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

// The batch-norm passes with their arguments, for VectorWidth to run at one width (BatchNormVector) or as the
// scalar reference (BatchNormScalar). Arguments are checked by BatchNorm.

internal readonly ref struct BatchNormForwardTrainingKernel : IVectorKernel
{
    private readonly ReadOnlySpan<float> _x, _gamma, _beta;
    private readonly Span<float> _y, _mean, _invStd;
    private readonly int _rows, _features;
    private readonly float _epsilon;

    public BatchNormForwardTrainingKernel(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd)
    {
        _x = x; _rows = rows; _features = features; _gamma = gamma; _beta = beta; _epsilon = epsilon;
        _y = y; _mean = mean; _invStd = invStd;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        BatchNormVector.ForwardTraining<TVec, TOps>(_x, _rows, _features, _gamma, _beta, _epsilon, _y, _mean, _invStd);

    public void RunScalar() => BatchNormScalar.ForwardTraining(_x, _rows, _features, _gamma, _beta, _epsilon, _y, _mean, _invStd);
}

internal readonly ref struct BatchNormBackwardKernel : IVectorKernel
{
    private readonly ReadOnlySpan<float> _x, _dy, _gamma, _mean, _invStd;
    private readonly Span<float> _dx, _dGamma, _dBeta;
    private readonly int _rows, _features;

    public BatchNormBackwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
    {
        _x = x; _dy = dy; _rows = rows; _features = features; _gamma = gamma; _mean = mean; _invStd = invStd;
        _dx = dx; _dGamma = dGamma; _dBeta = dBeta;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        BatchNormVector.Backward<TVec, TOps>(_x, _dy, _rows, _features, _gamma, _mean, _invStd, _dx, _dGamma, _dBeta);

    public void RunScalar() => BatchNormScalar.Backward(_x, _dy, _rows, _features, _gamma, _mean, _invStd, _dx, _dGamma, _dBeta);
}

internal readonly ref struct BatchNormForwardInferenceKernel : IVectorKernel
{
    private readonly ReadOnlySpan<float> _x, _scale, _shift;
    private readonly Span<float> _y;
    private readonly int _rows, _features;

    public BatchNormForwardInferenceKernel(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y)
    {
        _x = x; _rows = rows; _features = features; _scale = scale; _shift = shift; _y = y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        BatchNormVector.ForwardInference<TVec, TOps>(_x, _rows, _features, _scale, _shift, _y);

    public void RunScalar() => BatchNormScalar.ForwardInference(_x, _rows, _features, _scale, _shift, _y);
}
