using System.Globalization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Layer normalization (PyTorch LayerNorm, ONNX LayerNormalization): each sample is normalized over its last axes,
/// from <see cref="Axis"/> on, by its own mean and biased variance, then scaled and shifted elementwise by the
/// trainable <c>scale</c> (initially 1) and <c>bias</c> (initially 0), each of the normalized shape and each optional.
/// The axis counts over the full tensor [batch, sample…] as ONNX's does: 1 is the first sample axis, −1 the last
/// (PyTorch's <c>LayerNorm(shape[-1])</c>). The batch axis cannot be normalized over: a sample's output would then
/// depend on the other samples of its batch, and the scale's shape on the batch size. Training, evaluation and a
/// frozen model compute the same; training keeps each row's mean and reciprocal standard deviation for backward.
/// </summary>
public sealed class LayerNormOp : Op
{
    public const string Name = "layernorm";
    private const int ScratchMean = 0, ScratchRstd = 1;

    private int _groups, _length;

    /// <param name="axis">The first normalized axis of [batch, sample…]: 1 to the sample rank, or negative from the end.</param>
    /// <param name="epsilon">Added to the variance; positive.</param>
    /// <param name="scale">Whether a trainable elementwise scale (gamma) follows the normalization.</param>
    /// <param name="bias">Whether a trainable elementwise shift (beta) follows it.</param>
    public LayerNormOp(int axis = -1, float epsilon = 1e-5f, bool scale = true, bool bias = true)
    {
        if (axis == 0)
            throw new ArgumentException("layernorm axis 0 is the batch axis, which cannot be normalized over; expected a sample axis (1 for the first, -1 for the last).");
        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"layernorm epsilon is {epsilon}; expected a positive finite value."));
        Axis = axis;
        Epsilon = epsilon;
        HasScale = scale;
        HasBias = bias;
    }

    public override string Kind => Name;

    /// <summary>The axis as given: over [batch, sample…], negative from the end.</summary>
    public int Axis { get; }

    public float Epsilon { get; }

    public bool HasScale { get; }

    public bool HasBias { get; }

    /// <summary>The shape each normalized row has (the sample's axes from <see cref="Axis"/> on): that of scale and bias.</summary>
    public TensorShape NormalizedShape { get; private set; }

    /// <summary>The scale (gamma), or empty without one.</summary>
    public Span<float> Scale => HasScale ? Data(0) : default;

    /// <summary>The shift (beta), or empty without one.</summary>
    public Span<float> Bias => HasBias ? Data(HasScale ? 1 : 0) : default;

    public Span<float> ScaleGradients => HasScale ? Gradient(0) : default;

    public Span<float> BiasGradients => HasBias ? Gradient(HasScale ? 1 : 0) : default;

    internal static Op Create(OpAttributes a)
    {
        int axis = a.GetInt32("axis", -(TensorShape.MaxRank + 1), TensorShape.MaxRank);
        if (axis == 0) throw a.Bad("axis", "is 0, the batch axis, which cannot be normalized over; expected a sample axis (1 for the first, -1 for the last)");
        double epsilon = a.GetDouble("epsilon");
        if (!(epsilon > 0 && (float)epsilon > 0 && float.IsFinite((float)epsilon))) throw a.Bad("epsilon", string.Create(CultureInfo.InvariantCulture, $"is {epsilon}, expected a positive finite value"));
        long scale = a.GetInt64("scale", 1), bias = a.GetInt64("bias", 1);
        if (scale is not (0 or 1)) throw a.Bad("scale", $"is {scale}, expected 1 (a trainable scale) or 0 (none)");
        if (bias is not (0 or 1)) throw a.Bad("bias", $"is {bias}, expected 1 (a trainable bias) or 0 (none)");
        return new LayerNormOp(axis, (float)epsilon, scale == 1, bias == 1);
    }

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("axis", Axis).Set("epsilon", Epsilon).Set("scale", HasScale ? 1 : 0).Set("bias", HasBias ? 1 : 0);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        var shape = inputs[0];
        int rank = shape.Rank + 1;
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis == 0)
            throw new ArgumentException($"layernorm axis {Axis} of [batch, {Dims(shape)}] is the batch axis, which cannot be normalized over; expected 1 to {rank - 1} or -{rank - 1} to -1.");
        if (axis < 0 || axis >= rank)
            throw new ArgumentException($"layernorm axis {Axis} is outside the {rank} dimensions of [batch, {Dims(shape)}]; expected 1 to {rank - 1} or -{rank - 1} to -1.");
        NormalizedShape = shape.Tail(axis - 1);
        _length = NormalizedShape.Length;
        _groups = shape.Length / Math.Max(1, _length);
        return [shape];
    }

    private static string Dims(TensorShape shape) => string.Join(", ", shape.ToArray());

    protected override OpTensor[] DeclareTensors()
    {
        var tensors = new List<OpTensor>(2);
        if (HasScale) tensors.Add(new("scale", NormalizedShape, true));
        if (HasBias) tensors.Add(new("bias", NormalizedShape, true));
        return [.. tensors];
    }

    /// <summary>Training keeps the mean and rstd of each normalized row of the batch.</summary>
    internal override int[] ScratchLengths(int maxBatch, bool training) =>
        training ? [checked(maxBatch * _groups), checked(maxBatch * _groups)] : [];

    internal override void Initialize(Initializers.DeterministicRandom random)
    {
        Scale.Fill(1f);
        Bias.Clear();
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows * _groups;
        Span<float> mean = context.Training ? context.Scratch(ScratchMean)[..rows] : default;
        Span<float> rstd = context.Training ? context.Scratch(ScratchRstd)[..rows] : default;
        Intrinsics.LayerNorm.Forward(context.Input(0), rows, _length, Scale, Bias, Epsilon, context.Output(0), mean, rstd);
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("LayerNorm backward follows a training-mode forward (it needs the rows' statistics).");
        int rows = context.Rows * _groups;
        Span<float> dScale = ScaleGradients, dBias = BiasGradients;
        // The kernel adds to the parameter gradients; the op overwrites them.
        dScale.Clear();
        dBias.Clear();
        Intrinsics.LayerNorm.Backward(context.Input(0), context.OutputGradient(0), rows, _length, Scale,
            context.Scratch(ScratchMean)[..rows], context.Scratch(ScratchRstd)[..rows], context.InputGradient(0), dScale, dBias);
    }

    public override string ToString() => $"LayerNorm({NormalizedShape})";
}
