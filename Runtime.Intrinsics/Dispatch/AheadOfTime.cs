using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// What Native AOT leaves on the table. The JIT picks instruction sets on the machine the program runs on; Native AOT
/// fixes them when the program is published (<c>IlcInstructionSet</c>), and <see cref="Isa.Hardware"/> then reports the
/// published width even on a CPU that has a wider one: the compiler cannot switch to AVX-512 or AVX2 at run time,
/// since their encodings may appear anywhere in code compiled for them.
/// </summary>
public static class AheadOfTime
{
    /// <summary>True in a Native AOT program, false on the JIT.</summary>
    public static bool IsCompiled => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>
    /// The widest width this CPU has, read from CPUID rather than from the compiled code: <c>v512</c> with
    /// AVX-512 F+CD+BW+DQ+VL, <c>v256</c> with AVX2 and FMA, else <c>v128</c>. On another architecture it is
    /// <see cref="Isa.Hardware"/>.
    /// </summary>
    public static SimdWidth CpuWidth { get; } = ReadCpuWidth();

    /// <summary>
    /// In a Native AOT program published for a narrower width than this CPU has, one line saying so and how to
    /// publish for it; null on the JIT or when the published width is the CPU's widest.
    /// </summary>
    public static string? Note => IsCompiled ? NoteFor(Isa.Hardware, CpuWidth) : null;

    internal static string? NoteFor(SimdWidth compiled, SimdWidth cpu) => cpu <= compiled ? null : cpu switch
    {
        SimdWidth.V512 => $"note: published ahead of time for {Isa.Name(compiled)}, but this CPU has v512 (AVX-512): " +
                          "publish with -p:IlcInstructionSet=x86-64-v4 to use it",
        _ => $"note: published ahead of time for {Isa.Name(compiled)}, but this CPU has {Isa.Name(cpu)} (AVX2+FMA): " +
             "publish with -p:IlcInstructionSet=x86-64-v3 to use it",
    };

    private static SimdWidth ReadCpuWidth()
    {
        if (!X86Base.IsSupported) return Isa.Hardware;
        (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        (_, _, int ecx1, _) = X86Base.CpuId(1, 0);
        // OSXSAVE: the operating system saves the vector registers; without it no AVX form may run.
        if (maxLeaf < 7 || (ecx1 & (1 << 27)) == 0) return SimdWidth.V128;
        (_, int ebx7, _, _) = X86Base.CpuId(7, 0);
        const int Avx512 = (1 << 16) | (1 << 17) | (1 << 28) | (1 << 30) | unchecked((int)(1u << 31)); // F DQ CD BW VL
        if ((ebx7 & Avx512) == Avx512) return SimdWidth.V512;
        bool avx2 = (ebx7 & (1 << 5)) != 0, fma = (ecx1 & (1 << 12)) != 0;
        return avx2 && fma ? SimdWidth.V256 : SimdWidth.V128;
    }
}
