namespace Simd.Runtime.Intrinsics;

/// <summary>
/// A kernel's body written once over <see cref="IFloatVector{TVec}"/>, holding its arguments, for
/// <see cref="VectorWidth"/> to run at one width. Implemented by readonly ref structs (they hold spans), so each call
/// is specialised per kernel and inlines. The loops they call are marked NoInlining: inlined into the dispatch as
/// well, a loop used up the JIT's inlining budget of its caller, and the operators inside it (exp included) became
/// calls, 17% slower on softmax rows of 10.
/// </summary>
internal interface IVectorKernel
{
    void Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec>;
    void RunScalar();
}

/// <summary>An <see cref="IVectorKernel"/> that returns a value.</summary>
internal interface IVectorKernel<TResult>
{
    TResult Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec>;
    TResult RunScalar();
}
