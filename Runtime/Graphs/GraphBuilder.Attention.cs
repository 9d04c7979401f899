using Simd.Runtime.Ops;

namespace Simd.Runtime.Graphs;

/// <summary>Builder helpers for attention's products and layouts (<see cref="MatMulOp"/>, <see cref="TransposeOp"/>, <see cref="SplitOp"/>).</summary>
public sealed partial class GraphBuilder
{
    /// <summary>Each sample's matrices of <paramref name="a"/> times those of <paramref name="b"/>, leading axes broadcast (<see cref="MatMulOp"/>).</summary>
    public Value MatMul(Value a, Value b) => Single(new MatMulOp(), a, b);

    /// <summary>Each sample with its axes in the order <paramref name="perm"/> gives (<see cref="TransposeOp"/>; the batch stays first).</summary>
    public Value Transpose(Value x, params int[] perm) => Single(new TransposeOp(perm), x);

    /// <summary>Each sample cut along sample axis <paramref name="axis"/> into pieces of <paramref name="sizes"/> (<see cref="SplitOp"/>), one value each.</summary>
    public IReadOnlyList<Value> Split(Value x, int axis, params int[] sizes) => Node(new SplitOp(axis, sizes), x);
}
