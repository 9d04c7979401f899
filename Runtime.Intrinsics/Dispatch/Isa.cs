using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Chooses the vector width every kernel runs at. <see cref="Width"/> is a static readonly field, so once this
/// class is initialised the JIT treats it as a constant and removes the branches for the other widths.
/// </summary>
public static class Isa
{
    /// <summary>Environment variable that forces a width: <c>scalar</c>, <c>v128</c>, <c>v256</c> or <c>v512</c>.</summary>
    public const string WidthVariable = "SIMD_WIDTH";

    /// <summary>The widest width the hardware accelerates.</summary>
    public static readonly SimdWidth Hardware =
        Vector512.IsHardwareAccelerated ? SimdWidth.V512 :
        Vector256.IsHardwareAccelerated ? SimdWidth.V256 :
        Vector128.IsHardwareAccelerated ? SimdWidth.V128 :
        SimdWidth.Scalar;

    // Read once, before Width: a bad value must not fail this type's initialisation (that would poison every kernel
    // for the life of the process with a TypeInitializationException); it is kept and reported by ThrowIfMisconfigured.
    private static readonly (SimdWidth? Width, string? Error) Configured = ReadVariable(Environment.GetEnvironmentVariable(WidthVariable));

    /// <summary>
    /// The width kernels use: <see cref="Hardware"/> unless <see cref="WidthVariable"/> forces another. A forced
    /// width wider than the hardware still computes correct results: the Vector API then runs in software. An
    /// unknown value leaves <see cref="Hardware"/> here and sets <see cref="ConfigurationError"/>.
    /// </summary>
    public static readonly SimdWidth Width = Configured.Width ?? Hardware;

    /// <summary>True when <see cref="WidthVariable"/> forced the width.</summary>
    public static bool IsForced => Configured.Width is not null;

    /// <summary>
    /// Why <see cref="WidthVariable"/> (or the GEMM's <c>SIMD_GEMM_BLOCKING</c>) cannot be used, or null when unset or
    /// valid. Building a model refuses to run with such a setting (<see cref="ThrowIfMisconfigured"/>) rather than
    /// silently ignoring what was asked for.
    /// </summary>
    public static string? ConfigurationError => Configured.Error ?? GemmBlocking.ConfigurationError;

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="ConfigurationError"/> when it is set.</summary>
    public static void ThrowIfMisconfigured()
    {
        if (ConfigurationError is string error) throw new InvalidOperationException(error);
    }

    /// <summary>Parses a width name; null for null or empty. Unknown names throw, naming the accepted ones.</summary>
    public static SimdWidth? Parse(string? value) => TryParse(value, out SimdWidth? width) ? width : throw new ArgumentException(ErrorFor(value));

    private static bool TryParse(string? value, out SimdWidth? width)
    {
        width = value?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "scalar" => SimdWidth.Scalar,
            "v128" or "128" => SimdWidth.V128,
            "v256" or "256" => SimdWidth.V256,
            "v512" or "512" => SimdWidth.V512,
            _ => (SimdWidth)(-1),
        };
        return width != (SimdWidth)(-1);
    }

    private static string ErrorFor(string? value) =>
        $"{WidthVariable}='{value}' is not a width; expected one of: scalar, v128, v256, v512 (or leave it unset for the hardware's width).";

    private static (SimdWidth?, string?) ReadVariable(string? value) =>
        TryParse(value, out SimdWidth? width) ? (width, null) : (null, ErrorFor(value));

    /// <summary>Name of a width as the environment variable spells it.</summary>
    public static string Name(SimdWidth width) => width switch
    {
        SimdWidth.Scalar => "scalar",
        SimdWidth.V128 => "v128",
        SimdWidth.V256 => "v256",
        SimdWidth.V512 => "v512",
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "unknown width"),
    };

    /// <summary>The instruction sets the JIT may use here, strongest first (for logs, perf and the command line).</summary>
    public static string InstructionSets
    {
        get
        {
            var parts = new List<string>(8);
            if (Avx512F.IsSupported) parts.Add("AVX-512F");
            if (Avx2.IsSupported) parts.Add("AVX2");
            if (Fma.IsSupported) parts.Add("FMA");
            if (Avx.IsSupported && !Avx2.IsSupported) parts.Add("AVX");
            if (Sse42.IsSupported) parts.Add("SSE4.2");
            else if (Sse2.IsSupported) parts.Add("SSE2");
            if (AdvSimd.IsSupported) parts.Add("NEON");
            return parts.Count == 0 ? "none" : string.Join('+', parts);
        }
    }

    /// <summary>One line describing what kernels run with, e.g. <c>width=v256 (hardware v256) isa=AVX2+FMA+SSE4.2</c>.</summary>
    public static string Describe() =>
        $"width={Name(Width)}{(IsForced ? " (forced)" : "")} hardware={Name(Hardware)} isa={InstructionSets} " +
        $"arch={System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}";
}
