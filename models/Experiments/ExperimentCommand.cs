using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Simd.Models.Cli;

namespace Simd.Models.Experiments;

/// <summary>
/// `experiment &lt;name&gt; [--quick] [--out DIR]`: runs one experiment (or all of them) and writes its CSV, SVG
/// charts and report.html into DIR/&lt;name&gt;/; `all` adds DIR/index.html. Exit code 1 when a check failed.
/// </summary>
internal sealed class ExperimentCommand
{
    public const string DefaultOut = "experiment-results";

    public readonly Argument<string> Name = new("name")
    {
        Description = $"The experiment: {ExperimentCatalog.Expected}",
    };

    public readonly Option<bool> Quick = new("--quick")
    {
        Description = "A run of a few seconds on the shipped datasets (digits) instead of the full one on Fashion-MNIST",
    };

    public readonly Option<string> Out = new("--out")
    {
        Description = "Folder for the results (one folder per experiment inside it)",
        HelpName = "dir",
        DefaultValueFactory = _ => DefaultOut,
    };

    private ExperimentCommand()
    {
        Name.Validators.Add(result =>
        {
            string name = result.GetValueOrDefault<string>() ?? "";
            if (name != ExperimentCatalog.All && ExperimentCatalog.Find(name) is null)
                result.AddError($"experiment: '{name}' is not an experiment; expected one of: {ExperimentCatalog.Expected}.");
        });
        Out.Validators.Add(result =>
        {
            if (!OptionFactory.TryGetValue(result, out string? dir)) return;
            if (string.IsNullOrWhiteSpace(dir)) result.AddError("--out: expected a folder path.");
            else if (File.Exists(dir)) result.AddError($"--out: '{dir}' is a file, not a folder.");
            else if (FileAbove(dir) is string file) result.AddError($"--out: '{dir}' cannot be created: '{file}' is a file, not a folder.");
        });
        Command = new Command("experiment", "Run an experiment and write its measurements (CSV), charts (SVG) and report.html.") { Name, Quick, Out };
    }

    public Command Command { get; }

    public static Command Create(AppConsole console)
    {
        var command = new ExperimentCommand();
        command.Command.SetAction((result, token) => ModelsApp.Guard(console, () => command.Execute(result, console, token)));
        return command.Command;
    }

    private int Execute(ParseResult result, AppConsole console, CancellationToken cancellation)
    {
        string name = result.GetRequiredValue(Name);
        bool quick = result.GetValue(Quick);
        string folder = result.GetValue(Out) ?? DefaultOut;
        IReadOnlyList<Experiment> experiments = name == ExperimentCatalog.All ? ExperimentCatalog.Experiments : [ExperimentCatalog.Find(name)!];
        if (!quick && experiments.FirstOrDefault(e => e.FullRunNeedsFashionMnist) is Experiment needs && !ExperimentData.FashionMnistInstalled)
            throw new InvalidOperationException(ExperimentData.FashionMnistMissing(needs.Name));
        CreateFolder(folder);

        var runs = new List<(ExperimentContext, TimeSpan)>();
        foreach (Experiment experiment in experiments)
        {
            var context = new ExperimentContext(experiment, quick, console.Output, cancellation);
            DateTime started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            context.Log($"{experiment.Title} ({(quick ? "quick" : "full")} run)");
            experiment.Run(context);
            TimeSpan elapsed = clock.Elapsed;
            string report = ExperimentReport.Write(context, Path.Combine(folder, experiment.Name), elapsed, started);
            foreach (string finding in context.Findings) context.Log(finding);
            foreach (string failed in context.FailedChecks) console.Error.WriteLine($"error: {experiment.Name}: check failed: {failed}");
            context.Log(string.Create(CultureInfo.InvariantCulture, $"report: {report} ({elapsed.TotalSeconds:F1} s)"));
            runs.Add((context, elapsed));
        }
        if (name == ExperimentCatalog.All) console.Output.WriteLine($"index: {ExperimentIndex.Write(folder, runs, quick)}");
        return runs.Any(r => r.Item1.FailedChecks.Count > 0) ? 1 : 0;
    }

    private static void CreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out: cannot create the folder '{folder}': {e.Message}", e);
        }
    }

    /// <summary>The nearest existing path above <paramref name="dir"/> when it is a file (then no folder can be made there).</summary>
    private static string? FileAbove(string dir)
    {
        for (string? path = Path.GetDirectoryName(Path.GetFullPath(dir)); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path)) return path;
            if (Directory.Exists(path)) return null;
        }
        return null;
    }
}
