using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The vector exp applies 2^n with AVX-512's vscalefps where the hardware has it and with two exponent factors
/// elsewhere: both must give the same bits, so results do not depend on the machine. Checked at every width on a
/// dense grid over the subnormal results, the overflow edge and the ordinary range, and on the special values.
/// Where the instruction is missing both calls take the two factors, and the test still runs them.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class ExpScalingTests
{
    private static float[] Grid()
    {
        var values = new List<float>();
        for (double v = -112; v < -80; v += 1.3e-4) values.Add((float)v);
        for (double v = 85; v < 92; v += 1e-4) values.Add((float)v);
        for (double v = -3; v < 3; v += 1e-4) values.Add((float)v);
        values.AddRange([float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, 0f, -0f, 1e-40f, -1e-40f, 1e30f, -1e30f]);
        while (values.Count % 16 != 0) values.Add(1f);
        return [.. values];
    }

    [Fact]
    public unsafe void TheScaleInstructionGivesTheBitsOfTheTwoFactors()
    {
        float[] x = Grid();
        int differ = 0;
        fixed (float* p = x)
        {
            for (int i = 0; i < x.Length; i += 16)
            {
                if (Vector512.IsHardwareAccelerated)
                    differ += Count(ElementMath.Exp(Vector512.Load(p + i), true), ElementMath.Exp(Vector512.Load(p + i), false));
                if (Vector256.IsHardwareAccelerated)
                {
                    differ += Count(ElementMath.Exp(Vector256.Load(p + i), true), ElementMath.Exp(Vector256.Load(p + i), false));
                    differ += Count(ElementMath.Exp(Vector256.Load(p + i + 8), true), ElementMath.Exp(Vector256.Load(p + i + 8), false));
                }
                for (int j = 0; j < 16; j += 4)
                    differ += Count(ElementMath.Exp(Vector128.Load(p + i + j), true), ElementMath.Exp(Vector128.Load(p + i + j), false));
            }
        }
        Assert.Equal(0, differ);
    }

    private static int Count<T>(T a, T b) where T : struct => a.Equals(b) ? 0 : 1;
}
