namespace Simd.Models.Cli;

/// <summary>
/// The names an option accepts for a value (the first name of each entry is the one shown in help), parsed
/// case-insensitively with an error that lists every accepted name.
/// </summary>
internal sealed class NamedChoices<T>(string what, params (string Names, T Value)[] entries)
{
    private readonly (string[] Names, T Value)[] _entries =
        entries.Select(e => (e.Names.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), e.Value)).ToArray();

    /// <summary>The primary names, in declaration order.</summary>
    public IEnumerable<string> Names => _entries.Select(e => e.Names[0]);

    /// <summary>"a, b, c": comma-separated so that help wraps between names, not inside one.</summary>
    public string NameList => string.Join(", ", Names);

    public bool TryParse(string? text, out T value)
    {
        foreach (var (names, v) in _entries)
        {
            if (names.Any(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                value = v;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>The value of an already validated name.</summary>
    public T Parse(string? text) => TryParse(text, out T value) ? value : throw new ArgumentException(ErrorFor(text));

    public string ErrorFor(string? text) => $"Unknown {what} '{text}'; expected one of: {string.Join(", ", Names)}.";

    public string NameOf(T value) =>
        _entries.FirstOrDefault(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Names?[0] ?? value?.ToString() ?? "";
}
