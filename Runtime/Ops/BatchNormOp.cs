using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Batch normalization over features (PyTorch BatchNorm1d semantics) or, on images [C, H, W], over channels
/// (BatchNorm2d: one statistic per channel over the N·H·W values of the batch, tensors of shape [C]). Training
/// normalizes with the batch's mean and biased variance and moves the running statistics by <see cref="Momentum"/>
/// (running variance unbiased); evaluation normalizes with the running statistics, folded into one scale and shift
/// per feature (and freezing folds those into the neighbouring Dense where there is one).
/// <para>
/// A training batch of one row of features (or of one image of one pixel) has no batch statistics (its variance is undefined, and normalizing a row by its
/// own mean zeroes it). <see cref="Training.Trainer"/> refuses a batch size of 1 for a model with BatchNorm over features, as
/// PyTorch does; a last mini-batch of one row (a training set one more than a multiple of the batch size) is
/// dropped from the statistics instead: it is normalized with the running statistics, trains gamma, beta and the
/// layers before through that fixed affine map, and leaves the running statistics as the other batches made them.
/// </para>
/// </summary>
public sealed class BatchNormOp : Op
{
    public const string Name = "batchnorm";
    private const int GammaIndex = 0, BetaIndex = 1, MeanIndex = 2, VarianceIndex = 3;
    private const int ScratchMean = 0, ScratchInvStd = 1, ScratchScale = 2, ScratchShift = 3;

    private bool _forwardUsedRunningStatistics;
    private float[]? _preparedScale, _preparedShift;

    public BatchNormOp(float epsilon = 1e-5f, float momentum = 0.1f)
    {
        if (!(epsilon > 0f) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "BatchNorm epsilon must be positive and finite.");
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm momentum must be in [0, 1].");
        Epsilon = epsilon;
        Momentum = momentum;
    }

    public override string Kind => Name;

    /// <summary>Features, or channels of an image.</summary>
    public int Features { get; private set; }

    /// <summary>Values per channel of one sample: H·W for an image [C, H, W], 1 for features.</summary>
    public int Plane { get; private set; }

    private bool IsImage { get; set; }

    public float Epsilon { get; }

    /// <summary>Weight of the new batch in the running statistics (PyTorch convention: 0.1 by default).</summary>
    public float Momentum { get; }

    public Span<float> Gamma => Data(GammaIndex);

    public Span<float> Beta => Data(BetaIndex);

    public Span<float> GammaGradients => Gradient(GammaIndex);

    public Span<float> BetaGradients => Gradient(BetaIndex);

    public Span<float> RunningMean => Data(MeanIndex);

    public Span<float> RunningVariance => Data(VarianceIndex);

    internal static Op Create(OpAttributes a)
    {
        double epsilon = a.GetDouble("epsilon"), momentum = a.GetDouble("momentum");
        // Any positive epsilon is legal (PyTorch and ONNX accept ε ≥ 1), so what the importer takes also loads back.
        if (!(epsilon > 0 && (float)epsilon > 0 && float.IsFinite((float)epsilon))) throw a.Bad("epsilon", $"is {epsilon}, expected a positive finite value");
        if (!(momentum >= 0 && momentum <= 1)) throw a.Bad("momentum", $"is {momentum}, expected a value in [0, 1]");
        return new BatchNormOp((float)epsilon, (float)momentum);
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("epsilon", Epsilon).Set("momentum", Momentum);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        var shape = inputs[0];
        if (shape.Rank is not (1 or 3))
            throw new ArgumentException($"batchnorm takes rows of features [features] or images [channels, height, width]: each sample must have 1 or 3 dimensions, got {shape}.");
        IsImage = shape.Rank == 3;
        Features = shape[0];
        Plane = IsImage ? shape[1] * shape[2] : 1;
        return [shape];
    }

    protected override OpTensor[] DeclareTensors()
    {
        var shape = new TensorShape(Features);
        return [new("gamma", shape, true), new("beta", shape, true), new("running_mean", shape, false), new("running_variance", shape, false)];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training) => training ? [Features, Features, Features, Features] : [];

    internal override void Initialize(Initializers.DeterministicRandom random)
    {
        Gamma.Fill(1f);
        Beta.Clear();
        RunningMean.Clear();
        RunningVariance.Fill(1f);
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows;
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> y = context.Output(0);
        if (_preparedScale is not null)
        {
            ForwardInference(x, rows, _preparedScale, _preparedShift, y);
            return;
        }
        Span<float> mean = context.Scratch(ScratchMean), invStd = context.Scratch(ScratchInvStd);
        int values = rows * Plane;
        if (context.Training) _forwardUsedRunningStatistics = values == 1;
        if (context.Training && values > 1)
        {
            if (IsImage) BatchNorm2D.ForwardTraining(x, rows, Features, Plane, Gamma, Beta, Epsilon, y, mean, invStd);
            else BatchNorm.ForwardTraining(x, rows, Features, Gamma, Beta, Epsilon, y, mean, invStd);
            BatchNorm.UpdateRunningStatistics(RunningMean, RunningVariance, mean, invStd, Epsilon, Momentum, values);
            return;
        }
        Span<float> scale = context.Scratch(ScratchScale), shift = context.Scratch(ScratchShift);
        BatchNorm.FoldInference(Gamma, Beta, RunningMean, RunningVariance, Epsilon, scale, shift);
        ForwardInference(x, rows, scale, shift, y);
        if (context.Training)
        {
            // The one-row training batch (see the class summary): keep the statistics the backward pass needs.
            RunningMean.CopyTo(mean);
            for (int f = 0; f < Features; f++) invStd[f] = 1f / MathF.Sqrt(RunningVariance[f] + Epsilon);
        }
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.Training)
            throw new InvalidOperationException("BatchNorm backward follows a training-mode forward (it needs the batch statistics).");
        int rows = context.Rows;
        ReadOnlySpan<float> x = context.Input(0), dy = context.OutputGradient(0);
        Span<float> dx = context.InputGradient(0);
        ReadOnlySpan<float> mean = context.Scratch(ScratchMean), invStd = context.Scratch(ScratchInvStd);
        if (_forwardUsedRunningStatistics)
        {
            BackwardThroughRunningStatistics(x, dy, dx, rows, mean, invStd);
            return;
        }
        if (dx.IsEmpty)
        {
            // The first node of a graph without an input gradient: the kernel writes dx, so give it the dy it may reuse.
            dx = context.OutputGradient(0);
        }
        if (IsImage) BatchNorm2D.Backward(x, dy, rows, Features, Plane, Gamma, mean, invStd, dx, GammaGradients, BetaGradients);
        else BatchNorm.Backward(x, dy, rows, Features, Gamma, mean, invStd, dx, GammaGradients, BetaGradients);
    }

    private void ForwardInference(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        if (IsImage) BatchNorm2D.ForwardInference(x, rows, Features, Plane, scale, shift, y);
        else BatchNorm.ForwardInference(x, rows, Features, scale, shift, y);
    }

    /// <summary>Gradients of the fixed map y = gamma·(x − mean)·invStd + beta: statistics that do not depend on x.</summary>
    private void BackwardThroughRunningStatistics(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int rows,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd)
    {
        ReadOnlySpan<float> gamma = Gamma;
        Span<float> dGamma = GammaGradients, dBeta = BetaGradients;
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            int o = r * Features;
            for (int f = 0; f < Features; f++)
            {
                float g = dy[o + f];
                dGamma[f] += g * (x[o + f] - mean[f]) * invStd[f];
                dBeta[f] += g;
                if (!dx.IsEmpty) dx[o + f] = g * gamma[f] * invStd[f];
            }
        }
    }

    /// <summary>Frozen: the running statistics become one scale and shift per feature, computed in double.</summary>
    internal override void Prepare()
    {
        if (_preparedScale is not null) return;
        var (scale, shift) = Fold(Gamma, Beta, RunningMean, RunningVariance, Epsilon);
        (_preparedScale, _preparedShift) = (Array.ConvertAll(scale, s => (float)s), Array.ConvertAll(shift, t => (float)t));
    }

    /// <summary>
    /// The evaluation-mode map y = x·scale + shift per feature or channel: scale = γ/√(σ²+ε), shift = β − μ·scale, in
    /// double (a frozen BatchNorm rounds it once; the passes fold it into a neighbour's weights before rounding).
    /// </summary>
    internal static (double[] Scale, double[] Shift) Fold(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
    {
        var scale = new double[gamma.Length];
        var shift = new double[gamma.Length];
        for (int f = 0; f < gamma.Length; f++)
        {
            scale[f] = gamma[f] / Math.Sqrt((double)variance[f] + epsilon);
            shift[f] = beta[f] - mean[f] * scale[f];
        }
        return (scale, shift);
    }

    public override string ToString() => IsImage ? $"BatchNorm({Features} channels)" : $"BatchNorm({Features})";
}
