using System.CommandLine;
using Simd.Models.Cli;

namespace Simd.Models.Prediction;

/// <summary>`predict`: a saved model's output class for each row of a CSV file of features.</summary>
internal sealed class PredictCommand
{
    public readonly Option<string> Model = new("--model") { Description = "Model file written by train --save", Required = true, HelpName = "path" };

    public readonly Option<string> Input = new("--input") { Description = "CSV file of feature rows (no label column)", Required = true, HelpName = "path" };

    public PredictCommand()
    {
        Command = new Command("predict", "Predict the class of each row of a CSV file with a saved model.") { Model, Input };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console) =>
        throw new NotSupportedException("This build has no model files yet.");
}
