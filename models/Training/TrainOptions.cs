using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Training;

/// <summary>Everything `train` needs, decoupled from the command line that fills it.</summary>
internal sealed record TrainOptions
{
    /// <summary>A known dataset name, a CSV or IDX images file, or a folder of IDX files in the MNIST layout.</summary>
    public string Data { get; init; } = "digits";

    /// <summary>Label column of a CSV file given by path; negative counts from the end.</summary>
    public int LabelColumn { get; init; } = -1;

    /// <summary>
    /// Number of classes of a file's labels, each of which must then lie below it; null infers it, and the labels
    /// present must then be exactly 0..N−1.
    /// </summary>
    public int? ClassCount { get; init; }

    /// <summary>The IDX labels file of an IDX images <see cref="Data"/>; null finds it by name beside the images.</summary>
    public string? Labels { get; init; }

    /// <summary>A separate test set (same kinds as <see cref="Data"/>); then no test split is drawn from the data.</summary>
    public string? TestData { get; init; }

    /// <summary>The IDX labels file of an IDX images <see cref="TestData"/>; null finds it by name.</summary>
    public string? TestLabels { get; init; }

    /// <summary>Share of samples held out for the final test (ignored by datasets with their own test set and with <see cref="TestData"/>).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of the training samples held out for per-epoch validation and early stopping; 0 turns it off.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    public FeatureScaling Scaling { get; init; } = FeatureScaling.Standardize;

    public ModelChoice Model { get; init; } = ModelChoice.Mlp;

    /// <summary>Hidden layer widths; the output layer is added from the dataset.</summary>
    public int[] Layers { get; init; } = [256, 128];

    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    public bool BatchNorm { get; init; } = true;

    public float Dropout { get; init; } = 0.1f;

    /// <summary>Random flips and crops of the training images, drawn afresh every epoch.</summary>
    public AugmentChoice Augment { get; init; } = AugmentChoice.None;

    public LossChoice Loss { get; init; } = LossChoice.Auto;

    /// <summary>Null: <see cref="TrainChoices.DefaultLabelSmoothing"/> for the softmax cross-entropy, nothing for other losses.</summary>
    public float? LabelSmoothing { get; init; }

    public OptimizerChoice Optimizer { get; init; } = OptimizerChoice.Adam;

    /// <summary>Null takes <see cref="TrainChoices.DefaultLearningRate"/> of the optimizer.</summary>
    public float? LearningRate { get; init; }

    public ScheduleChoice Schedule { get; init; } = ScheduleChoice.Cosine;

    /// <summary>Step schedule: epochs between decays (0: a third of the epochs).</summary>
    public int StepEpochs { get; init; }

    /// <summary>Step schedule: factor applied at each decay.</summary>
    public float Gamma { get; init; } = 0.1f;

    /// <summary>Warm-up schedule: epochs of linear warm-up.</summary>
    public int WarmupEpochs { get; init; } = 2;

    /// <summary>Null takes the optimizer's default (0.01 for adamw, 0 for the others).</summary>
    public float? WeightDecay { get; init; }

    /// <summary>Gradient clipping by global norm; 0 turns it off.</summary>
    public float ClipNorm { get; init; }

    public int BatchSize { get; init; } = 32;

    public int Epochs { get; init; } = 40;

    /// <summary>Epochs without validation improvement before stopping (best weights restored); 0 turns it off.</summary>
    public int Patience { get; init; }

    public int Seed { get; init; } = 1;

    public int Threads { get; init; } = 1;

    /// <summary>Where to save the trained model; null saves nothing.</summary>
    public string? SavePath { get; init; }

    /// <summary>
    /// Checkpoint file written after every epoch; when it already exists training resumes from it (the same
    /// options must be given again: a checkpoint of another model or optimizer is refused).
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Where to write the per-epoch loss and accuracy curves as an SVG chart; null for none.</summary>
    public string? PlotPath { get; init; }

    public float EffectiveLearningRate => LearningRate ?? TrainChoices.DefaultLearningRate(Optimizer);
}
