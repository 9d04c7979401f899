using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// PReLU: x for x &gt; 0, slope·x otherwise, with a trainable slope broadcast over the sample (one value, one per
/// channel as [C, 1, 1], or one per element; PyTorch's <c>nn.PReLU</c> and ONNX's PRelu). The slope's shape has
/// the sample's rank or less (aligned at the right, as ONNX broadcasts), each size 1 or the sample's; it starts
/// at 0.25, as PyTorch's does.
/// </summary>
public sealed class PReluOp : Op
{
    public const string Name = "prelu";

    private int[] _sampleDims = [];
    private bool[] _broadcast = [];
    private int _sampleLength;

    public PReluOp(TensorShape slope) => SlopeShape = slope;

    public override string Kind => Name;

    /// <summary>The slope tensor's shape.</summary>
    public TensorShape SlopeShape { get; }

    /// <summary>The slope values (bound once the model is built).</summary>
    public Span<float> Slope => Data(0);

    internal static Op Create(OpAttributes a)
    {
        long[] dims = a.GetInt64s("slope");
        if (dims.Length > TensorShape.MaxRank || dims.Any(d => d < 1 || d > int.MaxValue))
            throw a.Bad("slope", $"is [{string.Join(", ", dims)}], expected at most {TensorShape.MaxRank} positive sizes");
        return new PReluOp(new TensorShape([.. dims.Select(d => (int)d)]));
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("slope", [.. SlopeShape.ToArray().Select(d => (long)d)]);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape x = inputs[0];
        int offset = x.Rank - SlopeShape.Rank;
        bool fits = offset >= 0;
        var broadcast = new bool[x.Rank];
        for (int i = 0; fits && i < x.Rank; i++)
        {
            int s = i < offset ? 1 : SlopeShape[i - offset];
            fits = s == 1 || s == x[i];
            broadcast[i] = s == 1;
        }
        if (!fits) throw new ArgumentException($"prelu slope {SlopeShape} does not broadcast over samples of {x}: each of its sizes, aligned at the right, must be 1 or the sample's.");
        _sampleDims = x.ToArray();
        _broadcast = broadcast;
        _sampleLength = x.Length;
        return [x];
    }

    protected override OpTensor[] DeclareTensors() => [new("slope", SlopeShape, Trainable: true)];

    internal override int[] ScratchLengths(int maxBatch, bool training) => training ? [checked(maxBatch * _sampleLength)] : [];

    internal override void Initialize(DeterministicRandom random) => Data(0).Fill(0.25f);

    internal override void Forward(in OpContext context)
    {
        int rank = _sampleDims.Length + 1;
        Span<int> dims = stackalloc int[rank];
        Span<bool> broadcast = stackalloc bool[rank];
        Layout(context.Rows, dims, broadcast);
        PRelu.Forward(context.Input(0), Data(0), dims, broadcast, context.Output(0));
    }

    internal override void Backward(in OpContext context)
    {
        int rank = _sampleDims.Length + 1;
        Span<int> dims = stackalloc int[rank];
        Span<bool> broadcast = stackalloc bool[rank];
        Layout(context.Rows, dims, broadcast);
        Span<float> dx = context.NeedsInputGradient(0) ? context.InputGradient(0) : default;
        PRelu.Backward(context.Input(0), Data(0), context.OutputGradient(0), dx, Gradient(0), dims, broadcast, context.Scratch(0));
    }

    /// <summary>The batch as a leading axis the slope is broadcast over.</summary>
    private void Layout(int rows, Span<int> dims, Span<bool> broadcast)
    {
        dims[0] = rows;
        broadcast[0] = true;
        _sampleDims.CopyTo(dims[1..]);
        _broadcast.CopyTo(broadcast[1..]);
    }

    public override string ToString() => $"PRelu({SlopeShape})";
}
