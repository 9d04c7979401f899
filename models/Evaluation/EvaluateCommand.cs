using System.CommandLine;
using Simd.Models.Cli;

namespace Simd.Models.Evaluation;

/// <summary>`evaluate`: a saved model's loss and accuracy on a dataset's test split.</summary>
internal sealed class EvaluateCommand
{
    public readonly Option<string> Model = new("--model") { Description = "Model file written by train --save", Required = true, HelpName = "path" };

    public readonly Option<string> Data = new("--data")
    {
        Description = "Dataset name or CSV path (default: the dataset the model was trained on)",
        HelpName = "name|path",
    };

    public EvaluateCommand()
    {
        Command = new Command("evaluate", "Evaluate a saved model on a dataset.") { Model, Data };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console) =>
        throw new NotSupportedException("This build has no model files yet.");
}
