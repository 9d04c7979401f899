namespace Simd.Runtime;

/// <summary>What the runtime runs with.</summary>
public static class RuntimeInfo
{
    public static string Describe() => Simd.Runtime.Intrinsics.Isa.Describe();
}
