using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The note a Native AOT program prints when it was published for a narrower width than its CPU has. The published
/// binary itself is run by .ci/aot.sh; here the wording and the JIT side.
/// </summary>
public class AheadOfTimeTests
{
    [Fact]
    public void OnTheJitThereIsNoNote()
    {
        Assert.False(AheadOfTime.IsCompiled);
        Assert.Null(AheadOfTime.Note);
    }

    [Fact]
    public void TheCpuHasAtLeastTheWidthTheJitUses()
    {
        // Knobs (DOTNET_EnableAVX=0, ...) narrow what the JIT uses, never what CPUID reports.
        Assert.True(AheadOfTime.CpuWidth >= Isa.Hardware, $"CPUID says {AheadOfTime.CpuWidth}, the JIT uses {Isa.Hardware}");
    }

    [Theory]
    [InlineData(SimdWidth.V256, SimdWidth.V512, "published ahead of time for v256, but this CPU has v512 (AVX-512): publish with -p:IlcInstructionSet=x86-64-v4 to use it")]
    [InlineData(SimdWidth.V128, SimdWidth.V512, "published ahead of time for v128, but this CPU has v512 (AVX-512): publish with -p:IlcInstructionSet=x86-64-v4 to use it")]
    [InlineData(SimdWidth.V128, SimdWidth.V256, "published ahead of time for v128, but this CPU has v256 (AVX2+FMA): publish with -p:IlcInstructionSet=x86-64-v3 to use it")]
    public void ANarrowerPublishNamesTheSettingThatUsesTheCpu(SimdWidth compiled, SimdWidth cpu, string expected) =>
        Assert.Equal("note: " + expected, AheadOfTime.NoteFor(compiled, cpu));

    [Theory]
    [InlineData(SimdWidth.V512, SimdWidth.V512)]
    [InlineData(SimdWidth.V256, SimdWidth.V256)]
    [InlineData(SimdWidth.V128, SimdWidth.V128)]
    [InlineData(SimdWidth.V512, SimdWidth.V256)]
    public void NoNoteWhenThePublishedWidthIsTheCpusWidest(SimdWidth compiled, SimdWidth cpu) =>
        Assert.Null(AheadOfTime.NoteFor(compiled, cpu));
}
