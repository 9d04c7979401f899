using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

// The optimizer updates with their arguments, for VectorWidth to run at one width: each builds its step for the
// width and runs ParameterUpdateDriver, or runs the scalar reference. Arguments are checked by OptimizerUpdates.

internal readonly ref struct SgdKernel : IVectorKernel
{
    private readonly Span<float> _w, _velocity;
    private readonly ReadOnlySpan<float> _g;
    private readonly float _learningRate, _momentum, _dampening, _weightDecay;
    private readonly bool _nesterov, _firstStep;

    public SgdKernel(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float learningRate, float momentum,
        float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        _w = w; _g = g; _velocity = velocity;
        _learningRate = learningRate; _momentum = momentum; _dampening = dampening; _weightDecay = weightDecay; _nesterov = nesterov; _firstStep = firstStep;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        ParameterUpdateDriver.Run<TVec, TOps, SgdStep<TVec, TOps>>(
            new(_learningRate, _momentum, _dampening, _weightDecay, _nesterov, _firstStep), _w, _g, _momentum != 0 ? _velocity : default, default);

    public void RunScalar() =>
        OptimizerUpdatesScalar.Sgd(_w, _g, _velocity, _learningRate, _momentum, _dampening, _weightDecay, _nesterov, _firstStep);
}

internal readonly ref struct AdamKernel : IVectorKernel
{
    private readonly Span<float> _w, _m, _v;
    private readonly ReadOnlySpan<float> _g;
    private readonly float _learningRate, _beta1, _beta2, _epsilon, _weightDecay;
    private readonly bool _decoupledWeightDecay;
    private readonly long _step;

    public AdamKernel(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float learningRate, float beta1,
        float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay, long step)
    {
        _w = w; _g = g; _m = m; _v = v;
        _learningRate = learningRate; _beta1 = beta1; _beta2 = beta2; _epsilon = epsilon; _weightDecay = weightDecay; _decoupledWeightDecay = decoupledWeightDecay; _step = step;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        ParameterUpdateDriver.Run<TVec, TOps, AdamStep<TVec, TOps>>(
            new(_learningRate, _beta1, _beta2, _epsilon, _weightDecay, _decoupledWeightDecay, _step), _w, _g, _m, _v);

    public void RunScalar() =>
        OptimizerUpdatesScalar.Adam(_w, _g, _m, _v, _learningRate, _beta1, _beta2, _epsilon, _weightDecay, _decoupledWeightDecay, _step);
}

internal readonly ref struct RmsPropKernel : IVectorKernel
{
    private readonly Span<float> _w, _squareAverage, _momentumBuffer;
    private readonly ReadOnlySpan<float> _g;
    private readonly float _learningRate, _alpha, _epsilon, _weightDecay, _momentum;

    public RmsPropKernel(Span<float> w, ReadOnlySpan<float> g, Span<float> squareAverage, Span<float> momentumBuffer,
        float learningRate, float alpha, float epsilon, float weightDecay, float momentum)
    {
        _w = w; _g = g; _squareAverage = squareAverage; _momentumBuffer = momentumBuffer;
        _learningRate = learningRate; _alpha = alpha; _epsilon = epsilon; _weightDecay = weightDecay; _momentum = momentum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        ParameterUpdateDriver.Run<TVec, TOps, RmsPropStep<TVec, TOps>>(
            new(_learningRate, _alpha, _epsilon, _weightDecay, _momentum), _w, _g, _squareAverage, _momentum > 0 ? _momentumBuffer : default);

    public void RunScalar() =>
        OptimizerUpdatesScalar.RmsProp(_w, _g, _squareAverage, _momentumBuffer, _learningRate, _alpha, _epsilon, _weightDecay, _momentum);
}

internal readonly ref struct AdagradKernel : IVectorKernel
{
    private readonly Span<float> _w, _sum;
    private readonly ReadOnlySpan<float> _g;
    private readonly float _learningRate, _epsilon, _weightDecay, _learningRateDecay;
    private readonly long _step;

    public AdagradKernel(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float learningRate, float epsilon,
        float weightDecay, float learningRateDecay, long step)
    {
        _w = w; _g = g; _sum = sum;
        _learningRate = learningRate; _epsilon = epsilon; _weightDecay = weightDecay; _learningRateDecay = learningRateDecay; _step = step;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
        ParameterUpdateDriver.Run<TVec, TOps, AdagradStep<TVec, TOps>>(
            new(_learningRate, _epsilon, _weightDecay, _learningRateDecay, _step), _w, _g, _sum, default);

    public void RunScalar() =>
        OptimizerUpdatesScalar.Adagrad(_w, _g, _sum, _learningRate, _epsilon, _weightDecay, _learningRateDecay, _step);
}
