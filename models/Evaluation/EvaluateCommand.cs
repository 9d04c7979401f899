using System.CommandLine;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.ModelFiles;
using Simd.Models.Training;
using Simd.Runtime.Data;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Evaluation;

/// <summary>`evaluate`: a saved model's loss and accuracy on the held-out split it was trained beside, or on other data.</summary>
internal sealed class EvaluateCommand
{
    public readonly Option<string> Model = new("--model") { Description = "Model file written by train --save", Required = true, HelpName = "path" };

    public readonly Option<string?> Data = new("--data")
    {
        Description = "Dataset name or CSV path; default: the test split of the data the model was trained on. " +
                      "Other data is evaluated whole.",
        HelpName = "name|path",
    };

    public EvaluateCommand()
    {
        Command = new Command("evaluate", "Evaluate a saved model: loss and accuracy.") { Model, Data };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console)
    {
        using SavedModel saved = SavedModel.Load(result.GetRequiredValue(Model));
        string source = result.GetValue(Data) ?? saved.Data;
        Dataset data = LoadEvaluationData(saved, source);
        if (data.FeatureCount != saved.Model.InputSize)
            throw new ArgumentException($"'{source}' has {data.FeatureCount} features; the model takes {saved.Model.InputSize}.");
        saved.Scaler.Transform(data);

        var trainer = new Trainer(saved.Model, saved.CreateLoss(), new Sgd());
        EvaluationResult r = trainer.Evaluate(data);
        var c = CultureInfo.InvariantCulture;
        console.Output.WriteLine($"data: {data.Name}, {r.Count} samples");
        console.Output.WriteLine(string.Create(c, $"loss: {r.Loss:F4}"));
        console.Output.WriteLine(string.Create(c, $"accuracy: {r.Accuracy:F4}"));
        return 0;
    }

    /// <summary>
    /// The training data again gives its held-out test split (same seed and fraction as at training time, so no
    /// sample the model learned from); anything else is evaluated in full.
    /// </summary>
    private static Dataset LoadEvaluationData(SavedModel saved, string source)
    {
        bool same = string.Equals(source, saved.Data, StringComparison.OrdinalIgnoreCase) ||
                    (File.Exists(source) && string.Equals(Path.GetFullPath(source), saved.Data, StringComparison.Ordinal));
        if (DatasetRegistry.TryGet(source, out KnownDataset known))
            return same ? known.LoadSplit(saved.TestFraction, saved.Seed).Test : known.Load();
        if (!File.Exists(source))
            throw new ArgumentException($"--data '{source}' is neither a known dataset ({string.Join(", ", DatasetRegistry.Names)}) nor an existing CSV file.");
        Dataset all = CsvLoader.Load(source, new CsvOptions
        {
            LabelColumn = saved.LabelColumn,
            Labels = saved.IsBinary ? CsvLabelKind.BinaryTarget : CsvLabelKind.ClassIndex,
            ClassCount = saved.IsBinary ? null : saved.Model.OutputSize,
        });
        return same ? StratifiedSplitter.Split(all, saved.TestFraction, saved.Seed).Test : all;
    }
}
