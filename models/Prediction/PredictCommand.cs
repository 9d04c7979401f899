using System.CommandLine;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.ModelFiles;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Prediction;

/// <summary>`predict`: a saved model's class for each row of a CSV file, one line per row.</summary>
internal sealed class PredictCommand
{
    public readonly Option<string> Model = new("--model") { Description = "Model file written by train --save", Required = true, HelpName = "path" };

    public readonly Option<string> Input = new("--input")
    {
        Description = "CSV file of feature rows; a row one column wider has its last column (a label) ignored",
        Required = true,
        HelpName = "path",
    };

    public PredictCommand()
    {
        Command = new Command("predict", "Print the predicted class of each row of a CSV file (binary models: the probability too).") { Model, Input };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console)
    {
        using SavedModel saved = SavedModel.Load(result.GetRequiredValue(Model));
        string input = result.GetRequiredValue(Input);
        int features = saved.Model.InputSize;
        CsvTable table = CsvLoader.LoadTable(input);
        if (table.Columns != features && table.Columns != features + 1)
            throw new ArgumentException($"'{input}' has {table.Columns} columns; the model takes {features} features (or {features} and a label).");
        float[] x = new float[table.Rows * features];
        for (int r = 0; r < table.Rows; r++) table.Row(r)[..features].CopyTo(x.AsSpan(r * features, features));
        saved.Scaler.Transform(x);

        int outputs = saved.Model.OutputSize;
        var y = new float[table.Rows * outputs];
        saved.Model.Predict(x, y);
        var c = CultureInfo.InvariantCulture;
        for (int r = 0; r < table.Rows; r++)
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
