using Simd.Models.Plotting;

namespace Simd.Models.Experiments;

/// <summary>What an experiment records while it runs: tables, figures, findings, details and the checks it made.</summary>
internal sealed class ExperimentContext
{
    private readonly TextWriter _log;

    public ExperimentContext(Experiment experiment, bool quick, TextWriter log, CancellationToken cancellation)
    {
        Experiment = experiment;
        Quick = quick;
        _log = log;
        Cancellation = cancellation;
    }

    public Experiment Experiment { get; }

    /// <summary>A run of a few seconds on the shipped datasets, instead of the full run.</summary>
    public bool Quick { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>What data and settings the run used, for the report's first lines.</summary>
    public string Setup { get; set; } = "";

    public List<CsvTable> Tables { get; } = [];

    public List<ExperimentFigure> Figures { get; } = [];

    public List<string> Findings { get; } = [];

    public List<(string Heading, string Text)> Details { get; } = [];

    /// <summary>Checks that failed: the report shows them and the command ends with exit code 1.</summary>
    public List<string> FailedChecks { get; } = [];

    public CsvTable Table(string fileName, params string[] columns)
    {
        var table = new CsvTable(fileName, columns);
        Tables.Add(table);
        return table;
    }

    public void Figure(string fileName, string caption, Chart chart) => Figures.Add(new(fileName, caption, SvgChart.Render(chart)));

    public void Figure(string fileName, string caption, ChartGrid grid) => Figures.Add(new(fileName, caption, SvgChart.Render(grid)));

    public void Finding(string text) => Findings.Add(text);

    public void Detail(string heading, string text) => Details.Add((heading, text));

    public void Check(bool passed, string what)
    {
        if (!passed) FailedChecks.Add(what);
    }

    /// <summary>A progress line on the output, prefixed with the experiment's name.</summary>
    public void Log(string line)
    {
        _log.WriteLine($"{Experiment.Name}: {line}");
        Cancellation.ThrowIfCancellationRequested();
    }
}

/// <summary>One chart of a report: its SVG file name, the sentence under it, and the SVG text.</summary>
internal sealed record ExperimentFigure(string FileName, string Caption, string Svg);
