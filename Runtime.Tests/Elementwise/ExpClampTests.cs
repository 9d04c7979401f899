using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The vector exp clamps its argument with native min/max, whose NaN rule depends on operand order: the clamp must
/// keep NaN and give, lane by lane, what clamping by comparisons gives, at every width.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ExpClampTests
{
    private const float Low = -110f, High = 90f;

    private static float Reference(float x) => x < Low ? Low : x > High ? High : x;

    [Fact]
    public unsafe void TheClampKeepsNaNAndMatchesComparisons()
    {
        float[] x = [float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, 0f, -0f,
            Low, High, Low - 1e-3f, High + 1e-3f, 1e-40f, -1e-40f, 3.5f, -200f];
        fixed (float* p = x)
        {
            var v512 = ElementMath.Clamp(Vector512.Load(p), Low, High);
            for (int i = 0; i < 16; i++)
            {
                float expected = Reference(x[i]);
                var v256 = ElementMath.Clamp(Vector256.Load(p + i / 8 * 8), Low, High);
                var v128 = ElementMath.Clamp(Vector128.Load(p + i / 4 * 4), Low, High);
                foreach (float actual in new[] { v512[i], v256[i % 8], v128[i % 4] })
                {
                    if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"x = {x[i]}: expected NaN, got {actual}");
                    else Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
                }
            }
        }
    }
}
