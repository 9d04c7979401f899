using System.Globalization;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// A loss against labels the op holds (ONNX's NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss with a constant
/// target): each sample is the whole tensor [N, C, d1, …, dk] of N rows of C class scores at every position, and the
/// labels [N, d1, …, dk] (flat, one class per row and position) are the same for every sample. A label equal to
/// ignore_index leaves its element out; any other must be a class in [0, C). Optional class weights [C] are a fixed
/// tensor of the op (not trained). The loss is [N, d1, …, dk] for reduction none, else one value (rank 0): the sum,
/// or the sum over the sum of the weights of the elements not left out (mean).
/// </summary>
public abstract class LabelLossOp : Op
{
    private readonly long[] _labels;
    private int[] _targets = [];

    private protected LabelLossOp(long[] labels, LossReduction reduction, long? ignoreIndex, bool weighted)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length == 0) throw new ArgumentException("A label loss needs at least one label.", nameof(labels));
        if (!Enum.IsDefined(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "expected None, Sum or Mean.");
        _labels = [.. labels];
        Reduction = reduction;
        IgnoreIndex = ignoreIndex;
        Weighted = weighted;
    }

    /// <summary>The labels as given, flat over [N, d1, …, dk].</summary>
    public IReadOnlyList<long> Labels => _labels;

    public LossReduction Reduction { get; }

    /// <summary>The label that leaves an element out, or null (every label is a class).</summary>
    public long? IgnoreIndex { get; }

    /// <summary>True when the op holds class weights (its tensor "weights" [C]).</summary>
    public bool Weighted { get; }

    /// <summary>The class weights a new model starts from (an importer's); null gives every class weight 1.</summary>
    internal float[]? InitialWeights { get; set; }

    /// <summary>C, the classes (axis 1 of the sample).</summary>
    private protected int Classes { get; private set; }

    /// <summary>d1·…·dk, the positions of each row (1 for [N, C]).</summary>
    private protected int Inner { get; private set; }

    /// <summary>N·C·d1·…·dk, the floats of one sample.</summary>
    private protected int SampleLength { get; private set; }

    /// <summary>The loss's floats per sample: N·d1·…·dk for reduction none, else 1.</summary>
    private protected int LossLength { get; private set; }

    /// <summary>Each element's class, or <see cref="NegativeLogLikelihood.Ignored"/> where the label is ignore_index.</summary>
    private protected ReadOnlySpan<int> Targets => _targets;

    private protected ReadOnlySpan<float> Weights => Weighted ? Data(0) : default;

    private protected static (long[] Labels, LossReduction Reduction, long? IgnoreIndex, bool Weighted) ReadAttributes(OpAttributes a)
    {
        long[] labels = a.GetInt64s("labels");
        if (labels.Length == 0) throw a.Bad("labels", "is empty, expected one label per row and position");
        string name = a.GetString("reduction", "mean");
        LossReduction reduction = name switch
        {
            "none" => LossReduction.None,
            "sum" => LossReduction.Sum,
            "mean" => LossReduction.Mean,
            _ => throw a.Bad("reduction", $"is '{name}', expected none, sum or mean"),
        };
        long? ignore = a.Contains("ignore_index") ? a.GetInt64("ignore_index", 0) : null;
        bool weighted = a.Contains("weighted") && a.GetInt64("weighted", 0, 1) == 1;
        return (labels, reduction, ignore, weighted);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("labels", _labels);
        attributes.Set("reduction", ReductionName(Reduction));
        if (IgnoreIndex is long ignore) attributes.Set("ignore_index", ignore);
        if (Weighted) attributes.Set("weighted", 1);
    }

    private protected static string ReductionName(LossReduction reduction) => reduction switch
    {
        LossReduction.None => "none",
        LossReduction.Sum => "sum",
        _ => "mean",
    };

    /// <summary>Checks the scores [N, C, d…] against the labels and returns the loss's shape.</summary>
    private protected TensorShape InferLoss(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape x = inputs[0];
        if (x.Rank < 2)
            throw new ArgumentException($"{Kind} takes scores [N, C, d1, …, dk] of rank 2 or more per sample, got {x}.");
        int[] dims = x.ToArray();
        int classes = dims[1];
        int inner = x.Tail(2).Length;
        long elements = (long)dims[0] * inner;
        if (_labels.Length != elements)
            throw new ArgumentException($"{Kind} holds {_labels.Length} labels; scores {x} need N·d1·…·dk = {elements}, one per row and position.");
        var targets = new int[_labels.Length];
        for (int e = 0; e < targets.Length; e++)
        {
            long label = _labels[e];
            if (IgnoreIndex == label) targets[e] = NegativeLogLikelihood.Ignored;
            else if (label >= 0 && label < classes) targets[e] = (int)label;
            else
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"label {label} (element {e} of the labels) is outside the {classes} classes [0, {classes}){(IgnoreIndex is long i ? $" and is not ignore_index {i}" : " and no ignore_index is set")}."));
        }
        _targets = targets;
        Classes = classes;
        Inner = inner;
        SampleLength = x.Length;
        LossLength = Reduction == LossReduction.None ? (int)elements : 1;
        return Reduction == LossReduction.None ? new TensorShape([dims[0], .. dims.AsSpan(2)]) : TensorShape.Scalar;
    }

    protected override OpTensor[] DeclareTensors() => Weighted ? [new OpTensor("weights", new TensorShape(Classes), Trainable: false)] : [];

    internal override void Initialize(DeterministicRandom random)
    {
        if (!Weighted) return;
        Span<float> weights = Data(0);
        if (InitialWeights is float[] values) values.CopyTo(weights);
        else weights.Fill(1f);
    }

    private protected string Describe(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}({ReductionName(Reduction)}, {_labels.Length} labels{(IgnoreIndex is long i ? $", ignore_index {i}" : "")}{(Weighted ? ", class weights" : "")})");
}
