using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Graphs;

/// <summary>Builder helpers for <see cref="ReduceOp"/>.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>
    /// <paramref name="function"/> over the sample axes <paramref name="axes"/> (0 is the first axis after the batch),
    /// keeping them as size 1 when <paramref name="keepDims"/>.
    /// </summary>
    public Value Reduce(ReduceFunction function, Value x, int[] axes, bool keepDims = false) => Single(new ReduceOp(function, axes, keepDims), x);
}
