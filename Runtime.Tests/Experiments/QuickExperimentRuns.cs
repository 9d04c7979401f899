using System.Diagnostics;
using System.Xml.Linq;
using Simd.Models.Cli;

namespace Simd.Runtime.Tests.Experiments;

/// <summary>
/// `experiment all --quick`, run once for the tests that look at its results (each experiment's CSV, SVGs and
/// report, the index, and the reports in a browser).
/// </summary>
public sealed class QuickExperimentRuns : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempDirectory _dir = new("simd-experiment-tests-");

    public QuickExperimentRuns()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var clock = Stopwatch.StartNew();
        Code = ModelsApp.Run(["experiment", "all", "--quick", "--out", _dir.Path], output, error);
        Elapsed = clock.Elapsed;
        Output = output.ToString();
        Error = error.ToString();
    }

    public int Code { get; }

    public string Output { get; }

    public string Error { get; }

    public TimeSpan Elapsed { get; }

    public string Folder => _dir.Path;

    public string Report(string experiment) => Path.Combine(Folder, experiment, "report.html");

    public string PathOf(string experiment, string file) => Path.Combine(Folder, experiment, file);

    /// <summary>The series names of an SVG file, each with its number of drawn points; the file must parse as XML.</summary>
    public Dictionary<string, int> Series(string experiment, string svgFile) =>
        XDocument.Load(PathOf(experiment, svgFile)).Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series")
                 .GroupBy(g => (string)g.Attribute("data-series")!)
                 .ToDictionary(g => g.Key, g => g.Sum(s => (int)s.Attribute("data-points")!));

    /// <summary>The rows of a CSV file as column name → value.</summary>
    public List<Dictionary<string, string>> Csv(string experiment, string csvFile)
    {
        string[] lines = File.ReadAllLines(PathOf(experiment, csvFile));
        string[] header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).Select(cells =>
        {
            Assert.Equal(header.Length, cells.Length);
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class QuickExperimentsCollection : ICollectionFixture<QuickExperimentRuns>
{
    public const string Name = "quick experiment runs";
}
