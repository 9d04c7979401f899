using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample with its axes permuted (the batch stays first): output axis i is sample axis perm[i], as numpy's and
/// ONNX's transpose count (the keys of attention, [T, D] → [D, T]). Backward permutes dy back by the inverse
/// permutation. Both run <see cref="Transpose.Permute(ReadOnlySpan{float}, Span{float}, int, ReadOnlySpan{int}, ReadOnlySpan{int})"/> over the whole batch at once.
/// </summary>
public sealed class TransposeOp : Op
{
    public const string Name = "transpose";

    private readonly int[] _perm;
    private readonly int[] _inverse;
    private int[] _inputShape = [];
    private int[] _outputShape = [];

    /// <param name="perm">An order of the sample axes (0 is the first axis after the batch).</param>
    public TransposeOp(params int[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        if (perm.Length is 0 or > TensorShape.MaxRank || !perm.Order().SequenceEqual(Enumerable.Range(0, perm.Length)))
            throw new ArgumentException($"transpose takes an order of 1 to {TensorShape.MaxRank} sample axes, each once; got [{string.Join(", ", perm)}].");
        _perm = (int[])perm.Clone();
        _inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) _inverse[perm[i]] = i;
    }

    public override string Kind => Name;

    /// <summary>Output axis i is sample axis Perm[i].</summary>
    public IReadOnlyList<int> Perm => _perm;

    internal static Op Create(OpAttributes a)
    {
        long[] perm = a.GetInt64s("perm");
        if (perm.Length is 0 or > TensorShape.MaxRank || !perm.Order().SequenceEqual(Enumerable.Range(0, perm.Length).Select(i => (long)i)))
            throw a.Bad("perm", $"is [{string.Join(", ", perm)}], expected an order of 1 to {TensorShape.MaxRank} sample axes, each once");
        return new TransposeOp(Array.ConvertAll(perm, p => (int)p));
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("perm", Array.ConvertAll(_perm, p => (long)p));

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], _perm.Length, $"samples with one axis for each entry of its order [{string.Join(", ", _perm)}]");
        _inputShape = inputs[0].ToArray();
        _outputShape = Array.ConvertAll(_perm, p => _inputShape[p]);
        return [new TensorShape(_outputShape)];
    }

    internal override void Forward(in OpContext context) =>
        Transpose.Permute(context.Input(0), context.Output(0), context.Rows, _inputShape, _perm);

    internal override void Backward(in OpContext context)
    {
        if (context.NeedsInputGradient(0))
            Transpose.Permute(context.OutputGradient(0), context.InputGradient(0), context.Rows, _outputShape, _inverse);
    }

    public override string ToString() => $"Transpose([{string.Join(", ", _perm)}])";
}
