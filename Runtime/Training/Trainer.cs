using System.Diagnostics;
using Simd.Runtime.Data;
using Simd.Runtime.Initializers;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Training;

/// <summary>
/// Mini-batch training: <c>new Trainer(model, loss, optimizer, options).Fit(train, validation, token)</c>.
/// Each epoch reshuffles from the seed, steps through batches (the last one may be smaller), evaluates, may save a
/// checkpoint and may stop early. A step (gather, forward, loss, backward, clip, update) allocates nothing.
/// </summary>
public sealed partial class Trainer
{
    private readonly List<EpochResult> _history = new();
    private readonly DeterministicRandom _shuffleRandom;
    private int[] _labelBuffer = [];
    private float[] _targetBuffer = [];
    private float[] _bestState = [];
    private long _totalSteps;
    private double _bestLoss = double.PositiveInfinity;
    private int _bestEpoch;
    private int _epochsSinceBest;
    private bool _stoppedEarly;
    private ClassificationCounts _counts;
    private MetricKind _metricKind;
    private float _threshold;
    private int _epoch, _batch, _batches;

    public Trainer(Model model, Loss loss, Optimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Options = options ?? new TrainerOptions();
        Options.Validate();
        CheckBatchSize(Options.BatchSize);
        _shuffleRandom = new DeterministicRandom(Options.Seed, stream: 2);
        _threshold = ClassificationCounts.ThresholdFor(loss);
    }

    public Model Model { get; }

    public Loss Loss { get; }

    public Optimizer Optimizer { get; }

    public TrainerOptions Options { get; }

    /// <summary>Epochs finished, counting those restored from a checkpoint.</summary>
    public int CompletedEpochs { get; private set; }

    public IReadOnlyList<EpochResult> History => _history;

    /// <summary>Trains until <see cref="TrainerOptions.Epochs"/> epochs are complete (continuing after a loaded checkpoint).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled; the last checkpoint, if any, resumes the run.</exception>
    /// <exception cref="NonFiniteValueException">Training diverged (or the data holds a NaN): names the epoch, step and learning rate.</exception>
    /// <exception cref="IOException">The checkpoint path cannot be written; found before the first epoch.</exception>
    public TrainingHistory Fit(Dataset train, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        Options.Validate();
        CheckDataset(train, nameof(train));
        if (validation is not null) CheckDataset(validation, nameof(validation));
        if (train.Count == 0) throw new ArgumentException($"Training set '{train.Name}' is empty.", nameof(train));

        int batchSize = Math.Min(Options.BatchSize, train.Count);
        int batches = (train.Count + batchSize - 1) / batchSize;
        CheckBatchSize(batchSize);
        if (Options.CheckpointPath is { } checkpointPath && CompletedEpochs < Options.Epochs) ModelContainer.CheckCanSave(checkpointPath);
        _totalSteps = (long)Options.Epochs * batches;
        Model.Threads = Options.Threads;
        Model.EnsureBatchCapacity(batchSize);
        PrepareBuffers(train, batchSize);
        _metricKind = ClassificationCounts.KindFor(Loss, train.IsMultiClass, Model.OutputSize);
        var order = new int[train.Count];
        int features = train.FeatureCount;
        int targetCount = train.TargetCount;

        while (CompletedEpochs < Options.Epochs && !_stoppedEarly)
        {
            int epoch = CompletedEpochs + 1;
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < order.Length; i++) order[i] = i;
            if (Options.Shuffle) _shuffleRandom.Shuffle(order);

            _counts = default;
            double lossSum = 0, rateSum = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * batchSize;
                int rows = Math.Min(batchSize, train.Count - start);
                Span<float> input = Model.InputBuffer(rows);
                for (int r = 0; r < rows; r++)
                {
                    int index = order[start + r];
                    train.Sample(index).CopyTo(input.Slice(r * features, features));
                    if (train.Labels is not null) _labelBuffer[r] = train.Labels[index];
                    else train.Target(index).CopyTo(_targetBuffer.AsSpan(r * targetCount, targetCount));
                }
                ReadOnlySpan<int> labels = train.Labels is null ? default : _labelBuffer.AsSpan(0, rows);
                ReadOnlySpan<float> targets = train.Labels is null ? _targetBuffer.AsSpan(0, rows * targetCount) : default;
                float rate = CurrentLearningRate();
                rateSum += rate;
                (_epoch, _batch, _batches) = (epoch, b + 1, batches);
                double loss = Step(rows, labels, targets, rate, countMetrics: true);
                lossSum += loss * rows;
                Options.BatchCompleted?.Invoke(new BatchResult(epoch, b + 1, batches, rows, loss, rate));
            }

            double trainLoss = lossSum / train.Count;
            double trainAccuracy = _counts.Accuracy(_metricKind);
            var evaluation = validation is null ? new EvaluationResult(double.NaN, double.NaN, double.NaN, 0) : Evaluate(validation);
            double monitored = validation is null ? trainLoss : evaluation.Loss;
            bool improved = monitored < _bestLoss;
            if (improved)
            {
                _bestLoss = monitored;
                _bestEpoch = epoch;
                _epochsSinceBest = 0;
                if (Options.EarlyStoppingPatience > 0) SnapshotBest();
            }
            else
            {
                _epochsSinceBest++;
            }
            _stoppedEarly = Options.EarlyStoppingPatience > 0 && _epochsSinceBest >= Options.EarlyStoppingPatience && epoch < Options.Epochs;
            // The mean of the rates its steps used: a per-step schedule changes the rate within the epoch.
            float epochRate = batches == 0 ? 0f : (float)(rateSum / batches);
            var result = new EpochResult(epoch, trainLoss, trainAccuracy, evaluation.Loss, evaluation.Accuracy, evaluation.MicroF1, epochRate, improved,
                Stopwatch.GetElapsedTime(started));
            _history.Add(result);
            CompletedEpochs = epoch;
            if (Options.CheckpointPath is { } path) SaveCheckpoint(path);
            Options.EpochCompleted?.Invoke(result);
        }

        if (Options.EarlyStoppingPatience > 0 && Options.RestoreBestWeights && _bestEpoch > 0 && _bestState.Length > 0) RestoreBest();
        return new TrainingHistory(_history.ToArray(), _bestEpoch, _stoppedEarly);
    }

    /// <summary>
    /// One training step on a batch given directly (custom loops, benchmarks): class labels, or target vectors.
    /// Returns the batch loss. Allocates nothing once the model has seen a batch this large.
    /// </summary>
    public double TrainBatch(ReadOnlySpan<float> inputs, int rows, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets = default)
    {
        Models.Model.CheckBatch(inputs.Length, rows, Model.InputSize, "input");
        Model.Threads = Options.Threads;
        inputs.CopyTo(Model.InputBuffer(rows));
        (_epoch, _batch, _batches) = (0, 0, 0);
        return Step(rows, labels, targets, CurrentLearningRate(), countMetrics: false);
    }

    /// <summary>Loss and metrics over a dataset in evaluation mode (running statistics, no dropout).</summary>
    public EvaluationResult Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckDataset(data, nameof(data));
        var kind = ClassificationCounts.KindFor(Loss, data.IsMultiClass, Model.OutputSize);
        var counts = default(ClassificationCounts);
        double lossSum = 0;
        int features = data.FeatureCount, cols = Model.OutputSize;
        Model.Threads = Options.Threads;
        for (int start = 0; start < data.Count; start += Model.MaxBatch)
        {
            int rows = Math.Min(Model.MaxBatch, data.Count - start);
            var output = Model.Forward(data.Features.AsSpan(start * features, rows * features), rows, training: false);
            ReadOnlySpan<int> labels = data.Labels is null ? default : data.Labels.AsSpan(start, rows);
            ReadOnlySpan<float> targets = data.Targets is null ? default : data.Targets.AsSpan(start * cols, rows * cols);
            lossSum += Loss.Compute(output, rows, cols, labels, targets, default) * rows;
            counts.Add(kind, _threshold, output, rows, cols, labels, targets);
        }
        return new EvaluationResult(data.Count == 0 ? double.NaN : lossSum / data.Count, counts.Accuracy(kind), counts.MicroF1(kind), data.Count);
    }

    /// <summary>Evaluation-mode outputs for every sample, row-major [Count × OutputSize].</summary>
    public float[] Predict(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var outputs = new float[checked(data.Count * Model.OutputSize)];
        Model.Predict(data.Features, outputs);
        return outputs;
    }

    private double Step(int rows, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, float learningRate, bool countMetrics)
    {
        int cols = Model.OutputSize;
        bool checkFinite = Options.CheckFinite;
        if (checkFinite) ThrowIfNonFinite(Model.InputBuffer(rows), Model.InputSize, "input", learningRate);
        var output = Model.Forward(rows, training: true);
        if (checkFinite) ThrowIfNonFinite(output, cols, "output", learningRate);
        double loss = Loss.Compute(output, rows, cols, labels, targets, Model.OutputGradient(rows));
        if (!double.IsFinite(loss))
            throw new NonFiniteValueException("loss", 0, 0, (float)loss, _epoch, _batch, _batches, learningRate);
        if (countMetrics) _counts.Add(_metricKind, _threshold, output, rows, cols, labels, targets);
        Model.Backward(rows);
        if (Options.ClipGradientNorm > 0f) GradientClipping.ClipByGlobalNorm(Model.Parameters.Gradients, Options.ClipGradientNorm);
        Optimizer.Step(Model.Parameters, learningRate);
        return loss;
    }

    private void ThrowIfNonFinite(ReadOnlySpan<float> values, int cols, string where, float learningRate)
    {
        int i = NonFiniteValueException.IndexOfNonFinite(values);
        if (i >= 0) throw new NonFiniteValueException(where, i / cols, i % cols, values[i], _epoch, _batch, _batches, learningRate);
    }

    /// <summary>
    /// BatchNorm cannot train on batches of one sample (PyTorch: "Expected more than 1 value per channel when
    /// training"): every step would normalize each feature to zero and the model would learn nothing.
    /// </summary>
    private void CheckBatchSize(int batchSize)
    {
        if (batchSize >= 2 || !Model.NeedsBatchesOfTwo) return;
        throw new ArgumentException(
            $"A batch size of {batchSize} cannot train a model with BatchNorm: a batch of one sample has no batch statistics " +
            "(its variance is undefined), so every step would normalize the features to zero. " +
            "Use a batch size of 2 or more, or a model without BatchNorm.");
    }

    private float CurrentLearningRate() =>
        Options.Schedule?.At(Optimizer.StepCount, _totalSteps) ?? Options.LearningRate;

    private void PrepareBuffers(Dataset train, int batchSize)
    {
        if (_labelBuffer.Length < batchSize) _labelBuffer = new int[batchSize];
        if (train.Labels is null && _targetBuffer.Length < batchSize * train.TargetCount) _targetBuffer = new float[batchSize * train.TargetCount];
    }

    private void CheckDataset(Dataset data, string name)
    {
        if (data.FeatureCount != Model.InputSize)
            throw new ArgumentException($"Dataset '{data.Name}' has {data.FeatureCount} features per sample, the model takes {Model.InputSize}.", name);
        if (data.IsMultiClass)
        {
            bool fits = data.ClassCount == Model.OutputSize || (Model.OutputSize == 1 && data.ClassCount <= 2);
            if (!fits)
                throw new ArgumentException(
                    $"Dataset '{data.Name}' has {data.ClassCount} classes, the model has {Model.OutputSize} outputs (expected {data.ClassCount}, or 1 for two classes).", name);
        }
        else
        {
            if (Loss.RequiresLabels)
                throw new ArgumentException($"Loss {Loss.Name} needs class labels; dataset '{data.Name}' has target vectors.", name);
            if (data.TargetCount != Model.OutputSize)
                throw new ArgumentException($"Dataset '{data.Name}' has {data.TargetCount} targets per sample, the model has {Model.OutputSize} outputs.", name);
        }
    }

    private void SnapshotBest()
    {
        var parameters = Model.Parameters;
        int length = parameters.ParameterLength + parameters.BufferLength;
        if (_bestState.Length != length) _bestState = new float[length];
        parameters.Parameters.CopyTo(_bestState);
        parameters.Buffers.CopyTo(_bestState.AsSpan(parameters.ParameterLength));
    }

    private void RestoreBest()
    {
        var parameters = Model.Parameters;
        _bestState.AsSpan(0, parameters.ParameterLength).CopyTo(parameters.Parameters);
        _bestState.AsSpan(parameters.ParameterLength).CopyTo(parameters.Buffers);
    }
}
