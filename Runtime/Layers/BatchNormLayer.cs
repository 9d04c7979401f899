using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Layers;

/// <summary>
/// Batch normalization over features (PyTorch BatchNorm1d semantics). Training normalizes with the batch's mean and
/// biased variance and moves the running statistics by <see cref="Momentum"/> (running variance unbiased);
/// evaluation normalizes with the running statistics, folded into one scale and shift per feature.
/// <para>
/// A training batch of one row has no batch statistics (its variance is undefined, and normalizing a row by its
/// own mean zeroes it). <see cref="Training.Trainer"/> refuses a batch size of 1 for a model with BatchNorm, as
/// PyTorch does; a last mini-batch of one row (a training set one more than a multiple of the batch size) is
/// dropped from the statistics instead: it is normalized with the running statistics, trains gamma, beta and the
/// layers before through that fixed affine map, and leaves the running statistics as the other batches made them.
/// </para>
/// </summary>
public sealed class BatchNormLayer : Layer
{
    private int _gammaHandle, _betaHandle, _runningMeanHandle, _runningVarianceHandle;
    private int _meanHandle, _invStdHandle, _scaleHandle, _shiftHandle;
    private Tensor _gamma, _beta, _gammaGradients, _betaGradients, _runningMean, _runningVariance;
    private Tensor _mean, _invStd, _scale, _shift;
    private bool _forwardUsedRunningStatistics;

    internal BatchNormLayer(int features, float epsilon, float momentum) : base(features, features)
    {
        if (!(epsilon > 0f)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "BatchNorm epsilon must be positive.");
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm momentum must be in [0, 1].");
        Epsilon = epsilon;
        Momentum = momentum;
    }

    public int Features => InputSize;

    public float Epsilon { get; }

    /// <summary>Weight of the new batch in the running statistics (PyTorch convention: 0.1 by default).</summary>
    public float Momentum { get; }

    public override int ParameterCount => 2 * Features;

    public Span<float> Gamma => _gamma.Span;

    public Span<float> Beta => _beta.Span;

    public Span<float> GammaGradients => _gammaGradients.Span;

    public Span<float> BetaGradients => _betaGradients.Span;

    public Span<float> RunningMean => _runningMean.Span;

    public Span<float> RunningVariance => _runningVariance.Span;

    internal override void ReserveParameters(ParameterBlock block)
    {
        var shape = new TensorShape(Features);
        _gammaHandle = block.ReserveParameter(shape);
        _betaHandle = block.ReserveParameter(shape);
        _runningMeanHandle = block.ReserveBuffer(shape);
        _runningVarianceHandle = block.ReserveBuffer(shape);
    }

    internal override void BindParameters(ParameterBlock block)
    {
        _gamma = block.Parameter(_gammaHandle);
        _beta = block.Parameter(_betaHandle);
        _gammaGradients = block.Gradient(_gammaHandle);
        _betaGradients = block.Gradient(_betaHandle);
        _runningMean = block.Buffer(_runningMeanHandle);
        _runningVariance = block.Buffer(_runningVarianceHandle);
    }

    internal override void ReserveScratch(BufferPlan plan, int maxBatch)
    {
        var shape = new TensorShape(Features);
        _meanHandle = plan.Reserve(shape);
        _invStdHandle = plan.Reserve(shape);
        _scaleHandle = plan.Reserve(shape);
        _shiftHandle = plan.Reserve(shape);
    }

    internal override void BindScratch(BufferPlan plan)
    {
        _mean = plan.Tensor(_meanHandle);
        _invStd = plan.Tensor(_invStdHandle);
        _scale = plan.Tensor(_scaleHandle);
        _shift = plan.Tensor(_shiftHandle);
    }

    internal void Initialize()
    {
        Gamma.Fill(1f);
        Beta.Clear();
        RunningMean.Clear();
        RunningVariance.Fill(1f);
    }

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context)
    {
        _forwardUsedRunningStatistics = !context.Training || rows == 1;
        if (!_forwardUsedRunningStatistics)
        {
            BatchNorm.ForwardTraining(x, rows, Features, Gamma, Beta, Epsilon, y, _mean.Span, _invStd.Span);
            BatchNorm.UpdateRunningStatistics(RunningMean, RunningVariance, _mean.Span, _invStd.Span, Epsilon, Momentum, rows);
            return;
        }
        BatchNorm.FoldInference(Gamma, Beta, RunningMean, RunningVariance, Epsilon, _scale.Span, _shift.Span);
        BatchNorm.ForwardInference(x, rows, Features, _scale.Span, _shift.Span, y);
        if (context.Training)
        {
            // The one-row training batch (see the class summary): keep the statistics the backward pass needs.
            RunningMean.CopyTo(_mean.Span);
            for (int f = 0; f < Features; f++) _invStd.Span[f] = 1f / MathF.Sqrt(RunningVariance[f] + Epsilon);
        }
    }

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("BatchNorm backward follows a training-mode forward (it needs the batch statistics).");
        if (_forwardUsedRunningStatistics)
        {
            BackwardThroughRunningStatistics(x, dy, dx, rows);
            return;
        }
        BatchNorm.Backward(x, dy, rows, Features, Gamma, _mean.Span, _invStd.Span, dx, GammaGradients, BetaGradients);
    }

    /// <summary>Gradients of the fixed map y = gamma·(x − mean)·invStd + beta: statistics that do not depend on x.</summary>
    private void BackwardThroughRunningStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int rows)
    {
        ReadOnlySpan<float> mean = _mean.Span, invStd = _invStd.Span, gamma = Gamma;
        Span<float> dGamma = GammaGradients, dBeta = BetaGradients;
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            int o = r * Features;
            for (int f = 0; f < Features; f++)
            {
                float g = dy[o + f];
                dGamma[f] += g * (x[o + f] - mean[f]) * invStd[f];
                dBeta[f] += g;
                dx[o + f] = g * gamma[f] * invStd[f];
            }
        }
    }
}
