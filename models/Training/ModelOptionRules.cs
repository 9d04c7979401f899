using System.CommandLine;
using System.CommandLine.Parsing;
using Simd.Models.Cli;

namespace Simd.Models.Training;

/// <summary>
/// Options that only some networks read: given with a network that would ignore them, they are refused rather than
/// silently dropped, so that a run never trains something other than what its command line says.
/// </summary>
internal static class ModelOptionRules
{
    private static readonly TrainOptions Defaults = new();

    /// <summary>Adds the checks to <paramref name="train"/>'s command.</summary>
    public static void Install(TrainCommand train) => train.Command.Validators.Add(result => Check(train, result));

    private static void Check(TrainCommand train, CommandResult result)
    {
        if (!OptionFactory.TryGetValue(result, train.Model, TrainChoices.Models.NameOf(Defaults.Model), out string? text) ||
            !TrainChoices.Models.TryParse(text, out ModelChoice model))
            return;
        bool singleSample = OptionFactory.TryGetValue(result, train.BatchSize, Defaults.BatchSize, out int batch) && batch == 1;
        if (model == ModelChoice.Mlp)
        {
            // One sample has no batch statistics: BatchNorm would zero every feature and nothing would train.
            if (singleSample &&
                OptionFactory.TryGetValue(result, train.BatchNorm, Defaults.BatchNorm, out bool batchNorm) && batchNorm &&
                OptionFactory.TryGetValue(result, train.Layers, string.Join(",", Defaults.Layers), out string? layers) &&
                OptionFactory.TryParseLayers(layers, out int[] widths, out _) && widths.Length > 0)
                result.AddError("--batch-size 1 cannot train with batch normalization (one sample has no batch statistics): " +
                                "use --batch-size 2 or more, or --batch-norm false.");
            return;
        }
        string name = TrainChoices.Models.NameOf(model);
        foreach (Option option in new Option[] { train.Layers, train.Activation, train.BatchNorm, train.Dropout })
        {
            if (Given(result, option))
                result.AddError($"{option.Name} shapes the MLP only; --model {name} has fixed layers and would ignore it: " +
                                $"leave out {option.Name}, or use --model mlp.");
        }
        // ResNet normalizes every convolution over the batch, which one sample cannot; LeNet and the recurrent networks have no BatchNorm.
        if (model == ModelChoice.ResNet && singleSample)
            result.AddError($"--batch-size 1 cannot train --model {name} (its batch normalization needs two or more samples a batch): " +
                            "use --batch-size 2 or more.");
    }

    /// <summary>True when the command line names the option (a default filled in does not count).</summary>
    internal static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
