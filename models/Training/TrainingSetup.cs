using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;

namespace Simd.Models.Training;

/// <summary>Turns the options and the prepared data into the runtime's model, loss, optimizer and schedule.</summary>
internal static class TrainingSetup
{
    /// <summary>The network <c>--model</c> names, planned for the run's batch size.</summary>
    public static Model BuildModel(TrainOptions options, TrainingData data) => options.Model switch
    {
        ModelChoice.LeNet => ReferenceNetworks.LeNet(ImageSide(options, data), OutputSize(data), options.Seed, MaxBatch(options, data)),
        ModelChoice.ResNet => ReferenceNetworks.ResNet(ImageSide(options, data), OutputSize(data), options.Seed, MaxBatch(options, data)),
        ModelChoice.Lstm => ReferenceNetworks.Lstm(ImageSide(options, data), OutputSize(data), options.Seed, MaxBatch(options, data)),
        ModelChoice.Gru => ReferenceNetworks.Gru(ImageSide(options, data), OutputSize(data), options.Seed, MaxBatch(options, data)),
        ModelChoice.Rnn => ReferenceNetworks.Rnn(ImageSide(options, data), OutputSize(data), options.Seed, MaxBatch(options, data)),
        _ => Mlp(options, data),
    };

    /// <summary>
    /// Hidden layers Dense → BatchNorm → activation → Dropout (without BatchNorm the activation folds into the Dense
    /// epilogue), then a Dense output of one unit per class, or one sigmoid logit for a binary target.
    /// </summary>
    private static Model Mlp(TrainOptions options, TrainingData data)
    {
        var builder = new ModelBuilder(data.Train.FeatureCount);
        foreach (int width in options.Layers)
        {
            if (options.BatchNorm) builder.Dense(width).BatchNorm().Activation(options.Activation);
            else builder.Dense(width, options.Activation);
            if (options.Dropout > 0) builder.Dropout(options.Dropout);
        }
        builder.Dense(OutputSize(data));
        return builder.Build(seed: options.Seed, maxBatch: MaxBatch(options, data));
    }

    private static int MaxBatch(TrainOptions options, TrainingData data) => Math.Min(options.BatchSize, data.Train.Count);

    /// <summary>
    /// The side of the square one-channel image each sample is (digits 8×8, Fashion-MNIST 28×28); the recurrent
    /// networks read its rows as that many steps of that many features, which any side allows.
    /// </summary>
    private static int ImageSide(TrainOptions options, TrainingData data)
    {
        int features = data.Train.FeatureCount, side = (int)Math.Round(Math.Sqrt(features));
        string model = TrainChoices.Models.NameOf(options.Model);
        bool recurrent = TrainChoices.IsRecurrent(options.Model);
        if (side * side != features)
            throw new ArgumentException(recurrent
                ? $"--model {model} reads each sample as the rows of a square image, one row a step, but '{data.Name}' has {features} features, not a square number; use --model mlp."
                : $"--model {model} reads each sample as a square image, but '{data.Name}' has {features} features, not a square number; use --model mlp.");
        if (!recurrent && side < ReferenceNetworks.SmallestSide)
            throw new ArgumentException($"--model {model} needs images of at least {ReferenceNetworks.SmallestSide}×{ReferenceNetworks.SmallestSide}; '{data.Name}' has {side}×{side}; use --model mlp.");
        return side;
    }

    public static int OutputSize(TrainingData data) => data.IsBinary ? 1 : data.Train.TargetCount;

    /// <summary>The loss; a choice that cannot train this dataset fails with what to use instead.</summary>
    public static Loss CreateLoss(LossChoice choice, float? labelSmoothingOption, bool binary, string dataName)
    {
        bool softmax = choice == LossChoice.CrossEntropy || choice == LossChoice.Auto && !binary;
        if (labelSmoothingOption > 0 && !softmax)
            throw new ArgumentException("--label-smoothing applies to the softmax cross-entropy loss only.");
        float labelSmoothing = softmax ? labelSmoothingOption ?? TrainChoices.DefaultLabelSmoothing : 0f;
        if (binary && choice is LossChoice.CrossEntropy or LossChoice.Hinge)
            throw new ArgumentException(
                $"--loss {TrainChoices.Losses.NameOf(choice)} needs class labels, but '{dataName}' has one 0/1 target per sample: use --loss bce (or auto).");
        return choice switch
        {
            LossChoice.Auto => binary ? new SigmoidBinaryCrossEntropyLoss() : new SoftmaxCrossEntropyLoss(labelSmoothing),
            LossChoice.CrossEntropy => new SoftmaxCrossEntropyLoss(labelSmoothing),
            LossChoice.BinaryCrossEntropy => new SigmoidBinaryCrossEntropyLoss(),
            LossChoice.Hinge => new MultiClassHingeLoss(),
            LossChoice.MeanSquaredError => new MeanSquaredErrorLoss(),
            LossChoice.L1 => new L1Loss(),
            LossChoice.Huber => new HuberLoss(),
            _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown loss."),
        };
    }

    public static Optimizer CreateOptimizer(TrainOptions options)
    {
        float decay = options.WeightDecay ?? 0f;
        return options.Optimizer switch
        {
            OptimizerChoice.Sgd => new Sgd(weightDecay: decay),
            OptimizerChoice.Momentum => new Sgd(momentum: 0.9f, weightDecay: decay),
            OptimizerChoice.Nesterov => new Sgd(momentum: 0.9f, weightDecay: decay, nesterov: true),
            OptimizerChoice.Adam => new Adam(weightDecay: decay),
            OptimizerChoice.AdamW => new AdamW(weightDecay: options.WeightDecay ?? 0.01f),
            OptimizerChoice.RmsProp => new RmsProp(weightDecay: decay),
            OptimizerChoice.Adagrad => new Adagrad(weightDecay: decay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
        };
    }

    /// <summary>The schedule over optimizer steps; epochs given on the command line become steps here.</summary>
    public static LearningRateSchedule CreateSchedule(TrainOptions options, int batchesPerEpoch)
    {
        float lr = options.EffectiveLearningRate;
        return options.Schedule switch
        {
            ScheduleChoice.Constant => new ConstantLearningRate(lr),
            ScheduleChoice.Step => new StepLearningRate(lr,
                Math.Max(1L, (long)(options.StepEpochs > 0 ? options.StepEpochs : Math.Max(1, options.Epochs / 3)) * batchesPerEpoch), options.Gamma),
            ScheduleChoice.Cosine => new CosineLearningRate(lr),
            ScheduleChoice.Warmup => new LinearWarmupLearningRate(new CosineLearningRate(lr), (long)options.WarmupEpochs * batchesPerEpoch),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Schedule, "Unknown schedule."),
        };
    }
}
