using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>torch.optim.SGD on one vector; see <see cref="OptimizerUpdates.Sgd(Span{float}, ReadOnlySpan{float}, Span{float}, float, float, float, float, bool, bool)"/>.</summary>
internal readonly struct SgdStep<TVec, TOps>(float learningRate, float momentum, float dampening, float weightDecay,
    bool nesterov, bool firstStep) : IParameterStep<TVec>
    where TVec : struct where TOps : struct, IFloatVector<TVec>
{
    private readonly TVec _negativeRate = TOps.Create(-learningRate);
    private readonly TVec _momentum = TOps.Create(momentum);
    private readonly TVec _keep = TOps.Create(1 - dampening);
    private readonly TVec _decay = TOps.Create(weightDecay);
    // PyTorch skips the decay term when it is 0, so an infinite weight does not turn into 0·∞ = NaN.
    private readonly bool _decays = weightDecay != 0;
    private readonly bool _hasMomentum = momentum != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref TVec w, TVec g, ref TVec velocity, ref TVec unused)
    {
        TVec grad = _decays ? TOps.MultiplyAdd(w, _decay, g) : g;
        if (_hasMomentum)
        {
            velocity = TOps.FlushSubnormal(firstStep ? grad : TOps.MultiplyAdd(velocity, _momentum, TOps.Multiply(grad, _keep)));
            grad = nesterov ? TOps.MultiplyAdd(velocity, _momentum, grad) : velocity;
        }
        w = TOps.FlushSubnormal(TOps.MultiplyAdd(grad, _negativeRate, w));
    }
}
