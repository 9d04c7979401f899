// What the JIT lets this process use. .ci/isa-matrix.sh runs it under each level's knobs and compares the line
// with what the level must switch off, so a knob the runtime ignores fails the level instead of passing it untested.
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

Console.WriteLine(string.Join(' ',
    $"arch={RuntimeInformation.ProcessArchitecture}",
    $"sse42={Sse42.IsSupported}",
    $"avx={Avx.IsSupported}",
    $"avx2={Avx2.IsSupported}",
    $"fma={Fma.IsSupported}",
    $"avx512f={Avx512F.IsSupported}",
    $"v128={Vector128.IsHardwareAccelerated}",
    $"v256={Vector256.IsHardwareAccelerated}",
    $"v512={Vector512.IsHardwareAccelerated}",
    $"vector-bytes={Vector<byte>.Count}"));
