using Simd.Models.Cli;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>Runs the command line as a user would, with an optional standard input, and a scratch folder for its files.</summary>
internal sealed class CliRun : IDisposable
{
    private readonly TempDirectory _temp = new("simd-cli-data-tests-");

    public string Dir => _temp.Path;

    public string PathOf(string name) => _temp.PathOf(name);

    public static (int Code, string Output, string Error) Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs with <paramref name="input"/> as standard input (wrap it in a non-seekable stream to act as a pipe).</summary>
    public static (int Code, string Output, string Error) RunWithInput(Stream? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ModelsApp.Run(args, output, error, input);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The lines of <paramref name="text"/>, without empty ones.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The value of the last line "name: value" of <paramref name="output"/>.</summary>
    public static string Last(string output, string name) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
              .Last(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    /// <summary>A CSV of two features and a label column, <paramref name="classes"/> classes that a small model separates.</summary>
    public string WriteBlobs(string name, int rows, int classes, int seed = 3)
    {
        var random = new Random(seed);
        string path = PathOf(name);
        using var w = new StreamWriter(path);
        w.WriteLine("x,y,label");
        for (int i = 0; i < rows; i++)
        {
            int label = i % classes;
            w.WriteLine(FormattableString.Invariant($"{random.NextDouble() + 3 * label:F4},{random.NextDouble():F4},{label}"));
        }
        return path;
    }

    public void Dispose() => _temp.Dispose();
}
