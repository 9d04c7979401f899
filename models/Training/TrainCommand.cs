using System.CommandLine;
using Simd.Models.Cli;
using Simd.Runtime.Data;

namespace Simd.Models.Training;

/// <summary>The `train` command: its options, their mapping onto <see cref="TrainOptions"/>, and its action.</summary>
internal sealed class TrainCommand
{
    private static readonly TrainOptions Defaults = new();

    public readonly Option<string> Data = new("--data")
    {
        Description = $"Dataset: {string.Join(", ", DatasetRegistry.Names)}; a CSV file (numbers, label in --label-column); " +
                      "an IDX images file (labels found by name, or --labels); or a folder of MNIST-layout IDX files (its t10k pair is the test set). " +
                      "Gzip or not: the content tells the format",
        HelpName = "name|path",
        DefaultValueFactory = _ => Defaults.Data,
    };

    public readonly Option<int> LabelColumn = new("--label-column")
    {
        Description = "Label column of a CSV file; negative counts from the end",
        DefaultValueFactory = _ => Defaults.LabelColumn,
    };

    public readonly Option<int?> Classes = new("--classes")
    {
        Description = "Number of classes of a file's labels (each must be below it); default: the labels present, which must then be 0..N-1",
        HelpName = "n",
    };

    public readonly Option<string?> Labels = new("--labels")
    {
        Description = "IDX labels file of IDX images given as --data (default: the images file's name with images→labels, idx3→idx1)",
        HelpName = "path",
    };

    public readonly Option<string?> TestData = new("--test-data")
    {
        Description = "Separate test set (a dataset name, file or folder as for --data); no test split is then drawn from --data",
        HelpName = "name|path",
    };

    public readonly Option<string?> TestLabels = new("--test-labels")
    {
        Description = "IDX labels file of IDX images given as --test-data (default: found by name as for --labels)",
        HelpName = "path",
    };

    public readonly Option<double> TestFraction =
        OptionFactory.Fraction("--test-fraction",
                               "Share of samples held out for the final test (stratified, seeded); unused when the data has its own test set or --test-data is given",
                               Defaults.TestFraction, allowZero: false);

    public readonly Option<double> ValidationFraction =
        OptionFactory.Fraction("--validation-fraction", "Share of the training samples used for per-epoch validation and early stopping; 0 for none",
                               Defaults.ValidationFraction, allowZero: true);

    public readonly Option<string> Scaling =
        OptionFactory.Choice("--scaling", "Feature scaling fitted on the training split", TrainChoices.Scalings, Defaults.Scaling);

    public readonly Option<string> Model =
        OptionFactory.Choice("--model", "Network: mlp (the --layers widths), lenet (LeNet-5), resnet (a small ResNet), or lstm, gru, rnn (128 hidden units); " +
                              "the convolutional ones read each sample as a square one-channel image, the recurrent ones its rows as time steps",
            TrainChoices.Models, Defaults.Model);

    public readonly Option<string> Layers =
        OptionFactory.LayerList("--layers", "Hidden layer widths, comma-separated (the output layer follows the dataset)", Defaults.Layers);

    public readonly Option<string> Activation =
        OptionFactory.Choice("--activation", "Hidden-layer activation", TrainChoices.Activations, Defaults.Activation);

    public readonly Option<bool> BatchNorm = new("--batch-norm")
    {
        Description = "Batch normalization after each hidden layer (--batch-norm false to leave it out)",
        DefaultValueFactory = _ => Defaults.BatchNorm,
    };

    public readonly Option<float> Dropout =
        OptionFactory.Float("--dropout", "Dropout rate after each hidden layer", Defaults.Dropout, 0f, 1f, maxInclusive: false);

    public readonly Option<string> Augment = new("--augment")
    {
        Description = "Augment the training images every epoch: flip (left-right, half of them), crop (shift by up to " +
                      $"{AugmentChoice.DefaultCropPadding} pixels, as torchvision's RandomCrop with padding {AugmentChoice.DefaultCropPadding}); needs --scaling none",
        HelpName = "none|flip,crop",
        DefaultValueFactory = _ => Defaults.Augment.ToString(),
    };

    public readonly Option<string> Loss =
        OptionFactory.Choice("--loss", "Loss; auto picks cross-entropy for classes, bce for a binary target", TrainChoices.Losses, Defaults.Loss);

    public readonly Option<float?> LabelSmoothing = new("--label-smoothing")
    {
        Description = $"Label smoothing of the softmax cross-entropy loss (default {TrainChoices.DefaultLabelSmoothing})",
    };

    public readonly Option<string> Optimizer =
        OptionFactory.Choice("--optimizer", "Optimizer", TrainChoices.Optimizers, Defaults.Optimizer);

    public readonly Option<float?> LearningRate = new("--lr")
    {
        Description = "Learning rate (default: 0.1 sgd, 0.05 momentum/nesterov/adagrad, 0.003 adam/adamw, 0.001 rmsprop)",
    };

    public readonly Option<string> Schedule =
        OptionFactory.Choice("--schedule", "Learning-rate schedule", TrainChoices.Schedules, Defaults.Schedule);

    public readonly Option<int> StepEpochs =
        OptionFactory.Int("--step-epochs", "Step schedule: epochs between decays (0: a third of the epochs)", Defaults.StepEpochs, 0);

    public readonly Option<float> Gamma =
        OptionFactory.Float("--gamma", "Step schedule: decay factor", Defaults.Gamma, 0f, 1f);

    public readonly Option<int> WarmupEpochs =
        OptionFactory.Int("--warmup-epochs", "Warm-up schedule: epochs of linear warm-up before cosine decay", Defaults.WarmupEpochs, 0);

    public readonly Option<float?> WeightDecay = new("--weight-decay")
    {
        Description = "Weight decay: L2 for sgd, momentum, nesterov, adam, rmsprop and adagrad; decoupled for adamw (default 0, adamw 0.01)",
    };

    public readonly Option<float> ClipNorm =
        OptionFactory.Float("--clip-norm", "Clip gradients to this global norm; 0 for no clipping", Defaults.ClipNorm, 0f, float.MaxValue);

    public readonly Option<int> BatchSize =
        OptionFactory.Int("--batch-size", "Samples per mini-batch (larger than the set: full batch; 1 needs --batch-norm false)", Defaults.BatchSize, 1);

    public readonly Option<int> Epochs = OptionFactory.Int("--epochs", "Passes over the training set", Defaults.Epochs, 1, 100_000);

    public readonly Option<int> Patience =
        OptionFactory.Int("--patience", "Stop after this many epochs without validation improvement and restore the best weights; 0 for never",
                          Defaults.Patience, 0);

    public readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of the split, the weights, the shuffling and dropout",
        DefaultValueFactory = _ => Defaults.Seed,
    };

    public readonly Option<int> Threads =
        OptionFactory.Int("--threads", "Threads for the matrix products (results are identical for any count)", Defaults.Threads, 1, 256);

    public readonly Option<string?> Save = new("--save")
    {
        Description = "Save the trained model (and its feature scaling) to this file",
        HelpName = "path",
    };

    public readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        Description = "Save a checkpoint to this file after every epoch, and resume from it when it exists",
        HelpName = "path",
    };

    public readonly Option<string?> Plot = new("--plot")
    {
        Description = "Write the per-epoch loss and accuracy curves to this SVG file",
        HelpName = "file.svg",
    };

    public TrainCommand()
    {
        ValueParsers.Install(LearningRate, "a learning rate in (0, 10]");
        Augment.Validators.Add(result =>
        {
            if (OptionFactory.TryGetValue(result, out string? text) && !AugmentChoice.TryParse(text, out _))
                result.AddError($"--augment: '{text}' is not valid; expected {AugmentChoice.Expected}.");
        });
        ValueParsers.Install(LabelSmoothing, "a number in [0, 1)");
        ValueParsers.Install(WeightDecay, "a number in [0, 1]");
        LearningRate.Validators.Add(result =>
        {
            if (!OptionFactory.TryGetValue(result, out float? lr)) return;
            if (lr is not float v || !float.IsFinite(v) || v <= 0 || v > 10)
                result.AddError($"--lr: {lr} is not valid; expected a learning rate in (0, 10].");
        });
        LabelSmoothing.Validators.Add(result =>
        {
            if (!OptionFactory.TryGetValue(result, out float? smoothing)) return;
            if (smoothing is not float v || !(v >= 0 && v < 1))
                result.AddError($"--label-smoothing: {smoothing} is not valid; expected a number in [0, 1).");
        });
        WeightDecay.Validators.Add(result =>
        {
            if (!OptionFactory.TryGetValue(result, out float? wd)) return;
            if (wd is not float v || !float.IsFinite(v) || v < 0 || v > 1)
                result.AddError($"--weight-decay: {wd} is not valid; expected a number in [0, 1].");
        });
        Classes.Validators.Add(result =>
        {
            if (OptionFactory.TryGetValue(result, out int? classes) && classes is not (>= 1 and <= OptionFactory.MaxLayerWidth))
                result.AddError($"--classes: {classes} is not valid; expected a class count in [1, {OptionFactory.MaxLayerWidth}].");
        });
        foreach (var (option, name) in new[] { (Save, "--save"), (Checkpoint, "--checkpoint"), (Plot, "--plot") })
        {
            // Checked before training, by creating and deleting a file there: a run must not fail after its work is done.
            option.Validators.Add(result =>
            {
                if (!OptionFactory.TryGetValue(result, out string? path)) return;
                if (string.IsNullOrWhiteSpace(path)) result.AddError($"{name}: expected a file path.");
                else if (OptionFactory.CannotSave(path) is string error) result.AddError($"{name}: {error}");
            });
        }

        Command = new Command("train", "Train a network (an MLP, LeNet-5, a small ResNet, an LSTM, GRU or RNN: --model) on a dataset and report per-epoch loss and accuracy, then the test accuracy.")
        {
            Data, LabelColumn, Classes, Labels, TestData, TestLabels, TestFraction, ValidationFraction, Scaling, Model, Layers, Activation, BatchNorm, Dropout, Augment, Loss, LabelSmoothing,
            Optimizer, LearningRate, Schedule, StepEpochs, Gamma, WarmupEpochs, WeightDecay, ClipNorm, BatchSize, Epochs, Patience,
            Seed, Threads, Save, Checkpoint, Plot,
        };
        ModelOptionRules.Install(this);
        ScheduleOptionRules.Install(this);
    }

    public Command Command { get; }

    /// <summary>Maps a parse result without errors onto the options record.</summary>
    public TrainOptions Bind(ParseResult result) => new()
    {
        Data = result.GetValue(Data) ?? Defaults.Data,
        LabelColumn = result.GetValue(LabelColumn),
        ClassCount = result.GetValue(Classes),
        Labels = result.GetValue(Labels),
        TestData = result.GetValue(TestData),
        TestLabels = result.GetValue(TestLabels),
        TestFraction = result.GetValue(TestFraction),
        ValidationFraction = result.GetValue(ValidationFraction),
        Scaling = TrainChoices.Scalings.Parse(result.GetValue(Scaling)),
        Model = TrainChoices.Models.Parse(result.GetValue(Model)),
        Layers = OptionFactory.TryParseLayers(result.GetValue(Layers), out int[] layers, out string error) ? layers : throw new ArgumentException(error),
        Activation = TrainChoices.Activations.Parse(result.GetValue(Activation)),
        BatchNorm = result.GetValue(BatchNorm),
        Dropout = result.GetValue(Dropout),
        Augment = AugmentChoice.TryParse(result.GetValue(Augment), out AugmentChoice augment) ? augment : AugmentChoice.None,
        Loss = TrainChoices.Losses.Parse(result.GetValue(Loss)),
        LabelSmoothing = result.GetValue(LabelSmoothing),
        Optimizer = TrainChoices.Optimizers.Parse(result.GetValue(Optimizer)),
        LearningRate = result.GetValue(LearningRate),
        Schedule = TrainChoices.Schedules.Parse(result.GetValue(Schedule)),
        StepEpochs = result.GetValue(StepEpochs),
        Gamma = result.GetValue(Gamma),
        WarmupEpochs = result.GetValue(WarmupEpochs),
        WeightDecay = result.GetValue(WeightDecay),
        ClipNorm = result.GetValue(ClipNorm),
        BatchSize = result.GetValue(BatchSize),
        Epochs = result.GetValue(Epochs),
        Patience = result.GetValue(Patience),
        Seed = result.GetValue(Seed),
        Threads = result.GetValue(Threads),
        SavePath = result.GetValue(Save),
        CheckpointPath = result.GetValue(Checkpoint),
        PlotPath = result.GetValue(Plot),
    };
}
