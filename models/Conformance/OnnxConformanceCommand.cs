using System.CommandLine;
using Simd.Models.Cli;
using Simd.Runtime.Onnx.Conformance;

namespace Simd.Models.Conformance;

/// <summary>
/// `onnx-conformance DIR`: every ONNX test case below DIR through the importer and the frozen model, one line per case
/// and a count. Exit code 0 when none failed, 1 when one did, 2 when DIR is not a folder of cases.
/// </summary>
internal sealed class OnnxConformanceCommand
{
    /// <summary>The code for a folder that holds no cases, as for an option that does not parse: the run was not asked right.</summary>
    private const int UsageError = 2;

    public readonly Argument<string> Folder = new("dir")
    {
        Description = "Folder of ONNX test cases (searched below too): each case a folder holding model.onnx and test_data_set_*/ " +
                      "with input_*.pb and output_*.pb, the layout of ONNX's node tests",
    };

    private OnnxConformanceCommand()
    {
        Command = new Command("onnx-conformance",
            "Run ONNX test cases through the importer and the frozen model; compare each output (rtol 1e-3, atol 1e-5).") { Folder };
    }

    public Command Command { get; }

    /// <summary>The command with its action, ready to add to the root.</summary>
    public static Command Create(AppConsole console)
    {
        var command = new OnnxConformanceCommand();
        command.Command.SetAction(result => ModelsApp.Guard(console, () => command.Execute(result, console)));
        return command.Command;
    }

    private int Execute(ParseResult result, AppConsole console)
    {
        string dir = result.GetRequiredValue(Folder);
        if (File.Exists(dir)) return Usage(console, $"'{dir}' is a file; give the folder that holds the test cases.");
        if (!Directory.Exists(dir)) return Usage(console, $"'{dir}' does not exist; give a folder of ONNX test cases.");
        IReadOnlyList<ConformanceCaseFolder> cases = ConformanceCaseFolder.Find(dir);
        if (cases.Count == 0)
        {
            return Usage(console, $"no test cases under '{dir}': no folder there holds a {ConformanceCaseFolder.ModelFile} " +
                                  "(a case is a folder with model.onnx and test_data_set_0/ holding input_0.pb and output_0.pb, the layout of ONNX's node tests).");
        }

        var runner = new ConformanceRunner();
        var results = new List<ConformanceResult>();
        foreach (ConformanceCaseFolder c in cases)
        {
            ConformanceResult r = runner.Run(c);
            results.Add(r);
            console.Output.WriteLine(r.Line);
        }
        console.Output.WriteLine(ConformanceResult.Summary(results));
        return results.Any(r => r.Outcome == ConformanceOutcome.Fail) ? 1 : 0;
    }

    private static int Usage(AppConsole console, string message)
    {
        console.Error.WriteLine($"error: {message}");
        return UsageError;
    }
}
