using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>torch.optim.RMSprop (not centred) on one vector; see <see cref="OptimizerUpdates.RmsProp(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, float, float, float, float, float)"/>.</summary>
internal readonly struct RmsPropStep<TVec, TOps>(float learningRate, float alpha, float epsilon, float weightDecay,
    float momentum) : IParameterStep<TVec>
    where TVec : struct where TOps : struct, IFloatVector<TVec>
{
    private readonly TVec _negativeRate = TOps.Create(-learningRate);
    private readonly TVec _alpha = TOps.Create(alpha);
    private readonly TVec _oneMinusAlpha = TOps.Create(1 - alpha);
    private readonly TVec _epsilon = TOps.Create(epsilon);
    private readonly TVec _decay = TOps.Create(weightDecay);
    private readonly TVec _momentum = TOps.Create(momentum);
    private readonly bool _decays = weightDecay != 0;
    private readonly bool _hasMomentum = momentum > 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref TVec w, TVec g, ref TVec squareAverage, ref TVec buffer)
    {
        TVec grad = _decays ? TOps.MultiplyAdd(w, _decay, g) : g;
        // (1 − alpha)·g·g inside the FMA, unrounded: a tiny gradient's square is not a subnormal operand of its own.
        squareAverage = TOps.FlushSubnormal(TOps.MultiplyAdd(TOps.Multiply(grad, _oneMinusAlpha), grad, TOps.Multiply(squareAverage, _alpha)));
        TVec scaled = TOps.Divide(grad, TOps.Add(TOps.Sqrt(squareAverage), _epsilon));
        if (_hasMomentum)
        {
            buffer = TOps.FlushSubnormal(TOps.MultiplyAdd(buffer, _momentum, scaled));
            scaled = buffer;
        }
        w = TOps.FlushSubnormal(TOps.MultiplyAdd(scaled, _negativeRate, w));
    }
}
