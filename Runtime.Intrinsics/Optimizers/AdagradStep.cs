using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>torch.optim.Adagrad on one vector; see <see cref="OptimizerUpdates.Adagrad(Span{float}, ReadOnlySpan{float}, Span{float}, float, float, float, float, long)"/>.</summary>
internal readonly struct AdagradStep<TVec, TOps>(float learningRate, float epsilon, float weightDecay,
    float learningRateDecay, long step) : IParameterStep<TVec>
    where TVec : struct where TOps : struct, IFloatVector<TVec>
{
    private readonly TVec _negativeRate = TOps.Create(-OptimizerUpdatesScalar.AdagradLearningRate(learningRate, learningRateDecay, step));
    private readonly TVec _epsilon = TOps.Create(epsilon);
    private readonly TVec _decay = TOps.Create(weightDecay);
    private readonly bool _decays = weightDecay != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref TVec w, TVec g, ref TVec sum, ref TVec unused)
    {
        TVec grad = _decays ? TOps.MultiplyAdd(w, _decay, g) : g;
        sum = TOps.FlushSubnormal(TOps.MultiplyAdd(grad, grad, sum));
        w = TOps.FlushSubnormal(TOps.MultiplyAdd(TOps.Divide(grad, TOps.Add(TOps.Sqrt(sum), _epsilon)), _negativeRate, w));
    }
}
