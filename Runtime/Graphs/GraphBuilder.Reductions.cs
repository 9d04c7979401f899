using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Graphs;

/// <summary>Builder helpers for <see cref="ReduceOp"/> and log-softmax.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>
    /// <paramref name="function"/> over the sample axes <paramref name="axes"/> (0 is the first axis after the batch),
    /// keeping them as size 1 when <paramref name="keepDims"/>.
    /// </summary>
    public Value Reduce(ReduceFunction function, Value x, int[] axes, bool keepDims = false) => Single(new ReduceOp(function, axes, keepDims), x);

    /// <summary>Log-softmax over the last sample axis (log-probabilities, without the rounding of log(softmax)).</summary>
    public Value LogSoftmax(Value x) => Single(new SoftmaxOp(log: true), x);
}
