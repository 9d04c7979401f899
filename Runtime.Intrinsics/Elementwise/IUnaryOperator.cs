using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// y = f(x) for one element and for one vector of each width. Implemented by readonly structs, so a driver
/// specialised per operator inlines the body: no virtual call, one loop for every operation.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector128<float> Invoke(Vector128<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}
