using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

public class IsaLevelTests
{
    /// <summary>isa-matrix.sh sets ISA_MATRIX_LEVEL; this proves its knob reached the runtime the tests run in.</summary>
    [Fact]
    public void IsaLevelTookEffect()
    {
        switch (Environment.GetEnvironmentVariable("ISA_MATRIX_LEVEL"))
        {
            // .ci/arm64.sh: the emulated ARM64 CPU's NEON runs the v128 kernels.
            case "native" when RuntimeInformation.ProcessArchitecture == Architecture.Arm64:
                Assert.True(AdvSimd.IsSupported);
                Assert.Equal(SimdWidth.V128, Isa.Hardware);
                break;
            case "no-avx512": Assert.False(Vector512.IsHardwareAccelerated); break;
            case "no-avx2":
                Assert.False(Avx2.IsSupported);
                Assert.False(Vector256.IsHardwareAccelerated);
                Assert.Equal(SimdWidth.V128, Isa.Hardware);
                break;
            case "scalar":
                Assert.False(Vector128.IsHardwareAccelerated);
                Assert.Equal(SimdWidth.Scalar, Isa.Hardware);
                break;
        }
    }

    [Theory]
    [InlineData("scalar", SimdWidth.Scalar)]
    [InlineData("V128", SimdWidth.V128)]
    [InlineData(" v256 ", SimdWidth.V256)]
    [InlineData("v512", SimdWidth.V512)]
    public void WidthNamesParse(string name, SimdWidth expected) => Assert.Equal(expected, Isa.Parse(name));

    [Fact]
    public void UnknownWidthNamesTheAcceptedOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Isa.Parse("avx9"));
        Assert.Contains("v256", e.Message);
    }
}
