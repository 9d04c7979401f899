using System.CommandLine;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.Data;
using Simd.Models.ModelFiles;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Prediction;

/// <summary>`predict`: a saved model's class for each row of a CSV file or image of an IDX file, one line each.</summary>
internal sealed class PredictCommand
{
    public readonly Option<string> Model = new("--model") { Description = "Model file written by train --save", Required = true, HelpName = "path" };

    public readonly Option<string> Input = new("--input")
    {
        Description = "CSV file of feature rows (a row one column wider has its last column, a label, ignored), an IDX images file, " +
                      "or - for either on standard input; gzip or not, the content tells the format",
        Required = true,
        HelpName = "path|-",
    };

    public PredictCommand()
    {
        Command = new Command("predict", "Print the predicted class of each row of a CSV file or image of an IDX file (binary models: the probability too).")
        {
            Model, Input,
        };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console)
    {
        using SavedModel saved = SavedModel.Load(result.GetRequiredValue(Model));
        string input = result.GetRequiredValue(Input);
        int features = saved.Model.InputSize;
        DataArgument source = DataArgument.Resolve("--input", input, standardInput: true);
        if (source.Kind is not (DataKind.File or DataKind.StandardInput))
            throw new ArgumentException($"--input '{input}' is {(source.Kind == DataKind.Known ? "a dataset name" : "a folder")}; expected a CSV or IDX images file, or - for standard input.");
        var (values, rows, columns, idx) = DataLoader.LoadFeatures(source, console.OpenInput);
        string name = DataLoader.Source(source);
        if (idx && columns != features)
            throw new ArgumentException($"'{name}' holds images of {columns} values; the model takes {features} features.");
        if (columns != features && columns != features + 1)
            throw new ArgumentException($"'{name}' has {columns} columns; the model takes {features} features (or {features} and a label).");
        float[] x = columns == features ? values : new float[rows * features];
        if (columns != features)
        {
            for (int r = 0; r < rows; r++) values.AsSpan(r * columns, features).CopyTo(x.AsSpan(r * features, features));
        }
        saved.Scaler.Transform(x);

        int outputs = saved.Model.OutputSize;
        var y = new float[rows * outputs];
        saved.Model.Predict(x, y);
        var c = CultureInfo.InvariantCulture;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = y.AsSpan(r * outputs, outputs);
            if (saved.IsBinary)
            {
                double p = 1 / (1 + Math.Exp(-row[0]));
                console.Output.WriteLine(string.Create(c, $"{(p >= 0.5 ? 1 : 0)} {p:F4}"));
            }
            else
            {
                console.Output.WriteLine(Reductions.ArgMax(row).ToString(c));
            }
        }
        return 0;
    }
}
