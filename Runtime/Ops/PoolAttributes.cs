namespace Simd.Runtime.Ops;

/// <summary>Settings the pooling ops share.</summary>
internal static class PoolAttributes
{
    /// <summary>An on/off setting stored as 0 or 1.</summary>
    public static bool Flag(OpAttributes a, string name)
    {
        long value = a.GetInt64(name, 0);
        return value is 0 or 1 ? value == 1 : throw a.Bad(name, $"is {value}, expected 0 (off) or 1 (on)");
    }
}
