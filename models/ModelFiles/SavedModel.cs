using Simd.Models.Data;
using Simd.Models.Training;
using Simd.Runtime.Data;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;

namespace Simd.Models.ModelFiles;

/// <summary>
/// A trained model with what is needed to use it again: the feature scaling fitted on its training split, its
/// loss, and where its data came from (so that `evaluate` can rebuild the same held-out test split, and tell when
/// the files changed since: their size and SHA-256 are recorded). Stored as <c>data.*</c> and <c>training.*</c>
/// entries beside the model's own in one model file; <c>data.test.*</c> describes a separate test set (--test-data).
/// </summary>
internal sealed class SavedModel : IDisposable
{
    private SavedModel(Model model, FeatureScaler scaler, DataOrigin origin, DataOrigin? testOrigin, int labelColumn, double testFraction, int seed,
                       LossChoice loss, float labelSmoothing, bool binary)
    {
        Model = model;
        Scaler = scaler;
        Origin = origin;
        TestOrigin = testOrigin;
        LabelColumn = labelColumn;
        TestFraction = testFraction;
        Seed = seed;
        Loss = loss;
        LabelSmoothing = labelSmoothing;
        IsBinary = binary;
    }

    public Model Model { get; }

    public FeatureScaler Scaler { get; }

    /// <summary>Known dataset name, or the full path of the file or folder it was trained on.</summary>
    public string Data => Origin.Source;

    /// <summary>The training data: its source, and for files the files read and their fingerprint (none in model files older than fingerprints).</summary>
    public DataOrigin Origin { get; }

    /// <summary>The separate test set given with --test-data, or null when the test split came from the data.</summary>
    public DataOrigin? TestOrigin { get; }

    public int LabelColumn { get; }

    public double TestFraction { get; }

    public int Seed { get; }

    public LossChoice Loss { get; }

    public float LabelSmoothing { get; }

    public bool IsBinary { get; }

    public Loss CreateLoss() => TrainingSetup.CreateLoss(Loss, LabelSmoothing, IsBinary, Data);

    public static void Save(string path, Model model, Loss loss, TrainOptions options, TrainingData data)
    {
        var container = new ModelContainer();
        model.WriteTo(container);
        bool known = DatasetRegistry.TryGet(options.Data, out _);
        WriteOrigin(container, "data", data.Origin ?? (known ? DataOrigin.Known(data.Name) : new DataOrigin(Path.GetFullPath(options.Data), [], null, null)));
        if (data.TestOrigin is DataOrigin test) WriteOrigin(container, "data.test", test);
        container.SetInt64("data.label_column", options.LabelColumn);
        container.SetDouble("data.test_fraction", options.TestFraction);
        container.SetInt64("data.seed", options.Seed);
        container.SetInt64("data.binary", data.IsBinary ? 1 : 0);
        container.SetString("data.scaling", TrainChoices.Scalings.NameOf(data.Scaler.Kind));
        container.SetTensor("data.scaling.offset", [data.Scaler.FeatureCount], data.Scaler.Offset);
        container.SetTensor("data.scaling.scale", [data.Scaler.FeatureCount], data.Scaler.Scale);
        container.SetString("training.loss", TrainChoices.Losses.NameOf(options.Loss));
        container.SetDouble("training.label_smoothing", loss is SoftmaxCrossEntropyLoss ce ? ce.LabelSmoothing : 0);
        container.Save(path);
    }

    public static SavedModel Load(string path, int maxBatch = 256)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        ModelContainer container = ModelContainer.Load(path);
        if (!container.Contains("data.scaling"))
            throw new ArgumentException($"'{path}' is a model file without the data entries `train --save` writes; it cannot be evaluated from the command line.");
        float[] offset = container.GetTensor("data.scaling.offset", out _);
        float[] scale = container.GetTensor("data.scaling.scale", out _);
        var scaler = new FeatureScaler(TrainChoices.Scalings.Parse(container.GetString("data.scaling")), offset, scale);
        // Every entry is read before the model is built, so a bad one cannot leave a built model undisposed.
        DataOrigin origin = ReadOrigin(container, "data");
        DataOrigin? testOrigin = container.Contains("data.test.source") ? ReadOrigin(container, "data.test") : null;
        int labelColumn = (int)container.GetInt64("data.label_column");
        double testFraction = container.GetDouble("data.test_fraction");
        int seed = (int)container.GetInt64("data.seed");
        LossChoice loss = TrainChoices.Losses.Parse(container.GetString("training.loss"));
        float labelSmoothing = (float)container.GetDouble("training.label_smoothing");
        bool binary = container.GetInt64("data.binary") != 0;
        Model model = Model.ReadFrom(container, maxBatch);
        if (model.InputSize != scaler.FeatureCount)
        {
            model.Dispose();
            throw new ArgumentException($"'{path}': the model takes {model.InputSize} features but its scaling was fitted on {scaler.FeatureCount}.");
        }
        return new SavedModel(model, scaler, origin, testOrigin, labelColumn, testFraction, seed, loss, labelSmoothing, binary);
    }

    public void Dispose() => Model.Dispose();

    /// <summary>
    /// <c>{prefix}.source</c>, and for files <c>.files</c> (full paths, one a line), <c>.size</c> and <c>.sha256</c>
    /// (absent for a pipe, which cannot be read again) and <c>.labels</c> (an IDX labels file given explicitly).
    /// </summary>
    private static void WriteOrigin(ModelContainer container, string prefix, DataOrigin origin)
    {
        container.SetString($"{prefix}.source", origin.Source);
        if (origin.Files.Count > 0) container.SetString($"{prefix}.files", string.Join('\n', origin.Files));
        if (origin.Fingerprint is DataFingerprint f)
        {
            container.SetInt64($"{prefix}.size", f.Bytes);
            container.SetString($"{prefix}.sha256", f.Sha256);
        }
        if (origin.LabelsPath is string labels) container.SetString($"{prefix}.labels", labels);
    }

    private static DataOrigin ReadOrigin(ModelContainer container, string prefix)
    {
        string source = container.GetString($"{prefix}.source");
        string[] files = container.Contains($"{prefix}.files") ? container.GetString($"{prefix}.files").Split('\n') : [];
        DataFingerprint? fingerprint = container.Contains($"{prefix}.sha256")
            ? new DataFingerprint(container.GetInt64($"{prefix}.size"), container.GetString($"{prefix}.sha256"))
            : null;
        string? labels = container.Contains($"{prefix}.labels") ? container.GetString($"{prefix}.labels") : null;
        return new DataOrigin(source, files, fingerprint, labels);
    }
}
