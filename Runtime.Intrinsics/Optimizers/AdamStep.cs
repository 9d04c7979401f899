using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>torch.optim.Adam / AdamW on one vector; see <see cref="OptimizerUpdates.Adam(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, float, float, float, float, float, bool, long)"/>.</summary>
internal readonly struct AdamStep<TVec, TOps> : IParameterStep<TVec>
    where TVec : struct where TOps : struct, IFloatVector<TVec>
{
    private readonly TVec _shrink, _decay, _oneMinusBeta1, _beta2, _oneMinusBeta2, _negativeStepSize, _inverseSqrtCorrection2, _epsilon;
    private readonly bool _decoupled, _coupled;

    public AdamStep(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step)
    {
        var (stepSize, inverseSqrtCorrection2) = OptimizerUpdatesScalar.AdamCorrections(learningRate, beta1, beta2, step);
        _decoupled = decoupled;
        // PyTorch skips a zero decay term, so an infinite weight does not turn into 0·∞ = NaN.
        _coupled = !decoupled && weightDecay != 0;
        _shrink = TOps.Create(1 - learningRate * weightDecay);
        _decay = TOps.Create(weightDecay);
        _oneMinusBeta1 = TOps.Create(1 - beta1);
        _beta2 = TOps.Create(beta2);
        _oneMinusBeta2 = TOps.Create(1 - beta2);
        _negativeStepSize = TOps.Create(-stepSize);
        _inverseSqrtCorrection2 = TOps.Create(inverseSqrtCorrection2);
        _epsilon = TOps.Create(epsilon);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref TVec w, TVec g, ref TVec m, ref TVec v)
    {
        if (_decoupled) w = TOps.Multiply(w, _shrink);
        TVec grad = _coupled ? TOps.MultiplyAdd(w, _decay, g) : g;
        // m.lerp_(g, 1 − beta1), as PyTorch writes it.
        m = TOps.FlushSubnormal(TOps.MultiplyAdd(TOps.Subtract(grad, m), _oneMinusBeta1, m));
        // (1 − beta2)·g·g inside the FMA, unrounded: a tiny gradient's square is not a subnormal operand of its own.
        v = TOps.FlushSubnormal(TOps.MultiplyAdd(TOps.Multiply(grad, _oneMinusBeta2), grad, TOps.Multiply(v, _beta2)));
        TVec denominator = TOps.MultiplyAdd(TOps.Sqrt(v), _inverseSqrtCorrection2, _epsilon);
        w = TOps.FlushSubnormal(TOps.MultiplyAdd(TOps.Divide(m, denominator), _negativeStepSize, w));
    }
}
