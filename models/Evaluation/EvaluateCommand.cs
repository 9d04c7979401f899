using System.CommandLine;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.Data;
using Simd.Models.ModelFiles;
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
        Description = "Dataset name, CSV or IDX images file, IDX folder (its t10k pair), or - for standard input; default: the test set the model " +
                      "was trained beside. The training file again gives its test split while unchanged; other data is evaluated whole",
        HelpName = "name|path|-",
    };

    public readonly Option<string?> Labels = new("--labels")
    {
        Description = "IDX labels file of IDX images given as --data (default: found by name beside the images)",
        HelpName = "path",
    };

    public EvaluateCommand()
    {
        Command = new Command("evaluate", "Evaluate a saved model: loss and accuracy.") { Model, Data, Labels };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console)
    {
        string modelPath = result.GetRequiredValue(Model);
        using SavedModel saved = SavedModel.Load(modelPath);
        string? given = result.GetValue(Data);
        string? labels = result.GetValue(Labels);
        if (labels is not null && given is null) throw new ArgumentException("--labels needs --data: it is the labels file of IDX images given there.");
        Dataset data = given is null ? LoadRecorded(saved, modelPath, console) : LoadGiven(saved, given, labels, console);
        string source = given ?? saved.Data;
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
    /// No --data: the separate test set the model was trained with, else the held-out part of its training data (the
    /// t10k pair of an IDX folder, or the test split rebuilt with the recorded seed and fraction). A file that changed
    /// since training is refused: a split of the changed file would hold samples the model learned from.
    /// </summary>
    private static Dataset LoadRecorded(SavedModel saved, string modelPath, AppConsole console)
    {
        DataOrigin origin = saved.TestOrigin ?? saved.Origin;
        bool separate = saved.TestOrigin is not null;
        if (DatasetRegistry.TryGet(origin.Source, out KnownDataset known))
            return separate && !known.HasOfficialSplit ? known.Load() : known.LoadSplit(saved.TestFraction, saved.Seed).Test;

        if (origin.Files.Count > 0 && origin.Fingerprint is null)
            throw new ArgumentException($"'{origin.Source}' was a pipe when the model was trained and cannot be read again; give the data with --data.");
        if (!File.Exists(origin.Source) && !Directory.Exists(origin.Source))
            throw new FileNotFoundException($"'{origin.Source}', the data the model was trained on, no longer exists; give the data with --data.");
        if (origin.Fingerprint is not null)
        {
            if (origin.Change() is string change)
                throw new ArgumentException(
                    $"'{origin.Source}' changed since the model was trained: {change}. Its test split cannot be rebuilt (one drawn from the changed data " +
                    $"would hold samples the model learned from); pass --data {Quote(origin.Source)} to evaluate on all of it.");
        }
        else
        {
            console.Error.WriteLine(
                $"warning: {modelPath} predates data fingerprints, so a change to '{origin.Source}' since training cannot be detected; " +
                "if it changed, this test split holds samples the model learned from.");
        }
        DataArgument data = DataArgument.Resolve("the model's data", origin.Source, standardInput: false);
        return separate || data.Kind == DataKind.IdxFolder ? LoadWhole(saved, data, origin.LabelsPath, console) : TestSplit(saved, data, origin.LabelsPath, console);
    }

    /// <summary>
    /// --data given: the training data again (same known name, or same unchanged file) gives its test split as at
    /// training time; an IDX folder its t10k pair; anything else is evaluated whole.
    /// </summary>
    private static Dataset LoadGiven(SavedModel saved, string given, string? labels, AppConsole console)
    {
        DataArgument data = DataArgument.Resolve("--data", given, standardInput: true);
        bool splitDrawn = saved.TestOrigin is null;
        switch (data.Kind)
        {
            case DataKind.Known when labels is not null:
                throw new ArgumentException($"--labels applies to an IDX images file; '{given}' is a known dataset.");
            case DataKind.Known:
                bool sameKnown = string.Equals(data.Known!.Name, saved.Data, StringComparison.OrdinalIgnoreCase);
                return sameKnown && (splitDrawn || data.Known.HasOfficialSplit) ? data.Known.LoadSplit(saved.TestFraction, saved.Seed).Test : data.Known.Load();
            case DataKind.File when splitDrawn && string.Equals(data.FullPath, saved.Data, StringComparison.Ordinal):
                string? labelsPath = labels ?? saved.Origin.LabelsPath;
                if (saved.Origin.Change() is not string change) return TestSplit(saved, data, labelsPath, console);
                console.Error.WriteLine($"note: '{given}' changed since the model was trained: {change}; evaluating all of it, not its test split.");
                return LoadWhole(saved, data, labelsPath, console);
            default:
                return LoadWhole(saved, data, labels, console);
        }
    }

    private static Dataset TestSplit(SavedModel saved, DataArgument data, string? labelsPath, AppConsole console) =>
        StratifiedSplitter.Split(LoadWhole(saved, data, labelsPath, console), saved.TestFraction, saved.Seed).Test;

    /// <summary>Every sample of a file or standard input, or the t10k pair of an IDX folder, read with the model's classes.</summary>
    private static Dataset LoadWhole(SavedModel saved, DataArgument data, string? labelsPath, AppConsole console)
    {
        var labels = new LabelSource(saved.LabelColumn, saved.IsBinary ? 2 : saved.Model.OutputSize, labelsPath, "--labels", ClassesOption: null);
        Dataset all = data.Kind == DataKind.IdxFolder
            ? DataLoader.LoadFolderPart(data, IdxFolder.TestPrefix, $"{data.DatasetName} (test)", labels, new FileReads(), "give the test data's files with --data")
            : DataLoader.LoadFile(data, labels, new FileReads(), console.OpenInput);
        return saved.IsBinary && all.IsMultiClass ? DataLoader.ToBinaryTarget(all) : all;
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
