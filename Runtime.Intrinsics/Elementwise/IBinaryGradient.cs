namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The two partial derivatives of z = f(a, b), each times dy, for one element and, written once over
/// <see cref="IFloatVector{TVec}"/>, for one vector of any width (they need only its arithmetic, max and select).
/// </summary>
internal interface IBinaryGradient
{
    float A(float a, float b, float z, float dy);
    float B(float a, float b, float z, float dy);
    TVec A<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec>;
    TVec B<TVec, TOps>(TVec a, TVec b, TVec z, TVec dy) where TVec : struct where TOps : struct, IFloatVector<TVec>;
}
