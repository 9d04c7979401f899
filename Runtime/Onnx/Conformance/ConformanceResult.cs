namespace Simd.Runtime.Onnx.Conformance;

/// <summary>One case's outcome and, unless it passed in full, why.</summary>
public sealed record ConformanceResult(string Name, ConformanceOutcome Outcome, string? Reason)
{
    /// <summary>
    /// "PASS name", "FAIL name: reason" or "SKIP name: reason"; a pass that left an output uncompared says which, in
    /// parentheses.
    /// </summary>
    public string Line => Outcome switch
    {
        ConformanceOutcome.Pass => Reason is null ? $"PASS {Name}" : $"PASS {Name} ({Reason})",
        ConformanceOutcome.Fail => $"FAIL {Name}: {Reason}",
        _ => $"SKIP {Name}: {Reason}",
    };

    /// <summary>"N passed, N failed, N skipped".</summary>
    public static string Summary(IEnumerable<ConformanceResult> results)
    {
        int passed = 0, failed = 0, skipped = 0;
        foreach (ConformanceResult r in results)
        {
            switch (r.Outcome)
            {
                case ConformanceOutcome.Pass: passed++; break;
                case ConformanceOutcome.Fail: failed++; break;
                default: skipped++; break;
            }
        }
        return $"{passed} passed, {failed} failed, {skipped} skipped";
    }
}
