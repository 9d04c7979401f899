using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>The checks shape inference repeats, with messages in the user's terms.</summary>
internal static class OpChecks
{
    public static void Count(Op op, ReadOnlySpan<TensorShape> inputs, int expected)
    {
        if (inputs.Length != expected)
            throw new ArgumentException($"{op.Kind} takes {expected} input{(expected == 1 ? "" : "s")}, got {inputs.Length}.");
    }

    public static void AtLeast(Op op, ReadOnlySpan<TensorShape> inputs, int minimum)
    {
        if (inputs.Length < minimum)
            throw new ArgumentException($"{op.Kind} takes at least {minimum} inputs, got {inputs.Length}.");
    }

    public static void Rank(Op op, TensorShape shape, int rank, string what)
    {
        if (shape.Rank != rank)
            throw new ArgumentException($"{op.Kind} takes {what}: each sample must have {rank} dimension{(rank == 1 ? "" : "s")}, got {shape}.");
    }
}
