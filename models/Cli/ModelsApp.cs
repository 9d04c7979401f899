using System.CommandLine;
using System.CommandLine.Help;
using Simd.Models.Conformance;
using Simd.Models.Evaluation;
using Simd.Models.Export;
using Simd.Models.Prediction;
using Simd.Models.Reporting;
using Simd.Models.Training;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Serialization;
using Simd.Runtime.Training;

namespace Simd.Models.Cli;

/// <summary>The command line: `train`, `evaluate`, `predict` and `datasets`.</summary>
internal static class ModelsApp
{
    public static RootCommand CreateRoot(AppConsole console)
    {
        var root = new RootCommand("Train and run neural networks with the Simd runtime (pure C#, SIMD on the CPU).");
        var train = new TrainCommand();
        train.Command.SetAction((result, token) => Guard(console, () => TrainingRun.Execute(train.Bind(result), console, token)));
        root.Add(train.Command);

        var evaluate = new EvaluateCommand();
        evaluate.Command.SetAction((result, token) => Guard(console, () => evaluate.Execute(result, console)));
        root.Add(evaluate.Command);

        var predict = new PredictCommand();
        predict.Command.SetAction((result, token) => Guard(console, () => predict.Execute(result, console)));
        root.Add(predict.Command);

        var exportOnnx = new ExportOnnxCommand();
        exportOnnx.Command.SetAction((result, token) => Guard(console, () => exportOnnx.Execute(result, console)));
        root.Add(exportOnnx.Command);

        var datasets = new Command("datasets", "List the datasets known by name.");
        datasets.SetAction(_ => Guard(console, () => DatasetsCommand.Execute(console)));
        root.Add(datasets);
        root.Add(OnnxConformanceCommand.Create(console));
        root.Add(Experiments.ExperimentCommand.Create(console));
        ValueParsers.InstallAll(root);
        // Help in 80 columns like the rest of the output, also where no terminal tells its width (pipes, logs).
        foreach (Option option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help }) help.MaxWidth = TextLayout.Width;
        }
        return root;
    }

    /// <param name="input">Standard input for `-` data arguments (tests pass their own); null reads the process's.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream? input = null)
    {
        var console = new AppConsole(output, error, input);
        RootCommand root = CreateRoot(console);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // The errors alone, each naming its option, and where to find the usage: not a screen of help that buries them.
            foreach (var e in parsed.Errors) WriteError(error, ValueParsers.Describe(e, parsed, args));
            string command = parsed.CommandResult.Command is RootCommand ? "" : parsed.CommandResult.Command.Name + " ";
            error.WriteLine($"Run '{command}--help' for the options.");
            return 2;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>
    /// Runs a command's body and turns every failure into one line on the error stream and a non-zero exit code:
    /// a user who mistypes a path or feeds a broken file reads what is wrong, not a stack trace.
    /// </summary>
    internal static Task<int> Guard(AppConsole console, Func<int> body)
    {
        try
        {
            // A SIMD_WIDTH the kernels cannot use stops every command before it starts, naming the accepted values.
            Isa.ThrowIfMisconfigured();
            return Task.FromResult(body());
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("cancelled");
            return Task.FromResult(130);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException
                                       or InvalidOperationException or KeyNotFoundException or NotSupportedException
                                       or ModelFormatException or NonFiniteValueException)
        {
            WriteError(console.Error, UserMessage.Of(e));
            return Task.FromResult(1);
        }
        catch (Exception e)
        {
            // A defect of this program, not of the input: the exception's type helps whoever fixes it.
            WriteError(console.Error, $"unexpected {e.GetType().Name}: {UserMessage.Of(e)}");
            return Task.FromResult(70);
        }
    }

    /// <summary>
    /// "error: …" as one line (a message with line breaks keeps them): not wrapped like the report on standard
    /// output, so that what names a file, line and column stays together for whoever searches logs for it.
    /// </summary>
    private static void WriteError(TextWriter error, string message) => error.WriteLine($"error: {message}");
}
