namespace Simd.Runtime.Intrinsics;

/// <summary>
/// A kernel's body written once over <see cref="IFloatVector{TVec}"/>, holding its arguments, for
/// <see cref="VectorWidth"/> to run at one width. Implemented by readonly ref structs (they hold spans), so each call
/// is specialised per kernel and inlines.
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
