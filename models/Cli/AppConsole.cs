using Spectre.Console;

namespace Simd.Models.Cli;

/// <summary>Where the app writes: plain text streams, and a Spectre console over the output for progress bars.</summary>
internal sealed class AppConsole
{
    private readonly Stream? _input;

    /// <param name="input">Standard input for `-` data arguments; null reads the process's own.</param>
    public AppConsole(TextWriter output, TextWriter error, Stream? input = null)
    {
        _input = input;
        Output = output;
        Error = error;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            // Redirected output (CI logs, pipes, tests) gets plain lines, no live rendering.
            Interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        });
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Ansi { get; }

    public bool IsInteractive => Ansi.Profile.Capabilities.Interactive;

    /// <summary>Standard input as bytes (CSV or IDX data given as `-`); it may not seek.</summary>
    public Stream OpenInput() => _input ?? Console.OpenStandardInput();
}
