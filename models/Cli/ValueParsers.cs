using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Simd.Models.Cli;

/// <summary>
/// Parsers for numeric and true/false options whose errors name the option, the text given and what is allowed
/// (<c>--epochs: 'abc' is not valid; expected an integer ≥ 1.</c>), in place of the parser's own conversion error,
/// which names .NET types (<c>System.Int32</c>). Numbers are read in the invariant culture.
/// </summary>
internal static class ValueParsers
{
    /// <summary>Gives every such option of <paramref name="command"/> and its subcommands that has no parser one.</summary>
    public static void InstallAll(Command command)
    {
        foreach (Option option in command.Options) Install(option, expected: null);
        foreach (Command sub in command.Subcommands) InstallAll(sub);
    }

    /// <summary>Gives <paramref name="option"/> a parser unless it has one; <paramref name="expected"/> describes the allowed values.</summary>
    public static void Install(Option option, string? expected)
    {
        const string Integer = "an integer", Number = "a number";
        switch (option)
        {
            case Option<int> o: o.CustomParser ??= Parser(o, expected ?? Integer, (string s, out int v) => int.TryParse(s, NumberStyles.Integer, Invariant, out v)); break;
            case Option<int?> o: o.CustomParser ??= Parser(o, expected ?? Integer, (string s, out int? v) => Nullable(int.TryParse(s, NumberStyles.Integer, Invariant, out int x), x, out v)); break;
            case Option<long> o: o.CustomParser ??= Parser(o, expected ?? Integer, (string s, out long v) => long.TryParse(s, NumberStyles.Integer, Invariant, out v)); break;
            case Option<float> o: o.CustomParser ??= Parser(o, expected ?? Number, (string s, out float v) => float.TryParse(s, NumberStyles.Float, Invariant, out v)); break;
            case Option<float?> o: o.CustomParser ??= Parser(o, expected ?? Number, (string s, out float? v) => Nullable(float.TryParse(s, NumberStyles.Float, Invariant, out float x), x, out v)); break;
            case Option<double> o: o.CustomParser ??= Parser(o, expected ?? Number, (string s, out double v) => double.TryParse(s, NumberStyles.Float, Invariant, out v)); break;
            case Option<double?> o: o.CustomParser ??= Parser(o, expected ?? Number, (string s, out double? v) => Nullable(double.TryParse(s, NumberStyles.Float, Invariant, out double x), x, out v)); break;
        }
    }

    /// <summary>
    /// A parse error in the user's terms. The parser's own conversion errors (options without a parser here, such
    /// as true/false options, whose bare form must stay a flag) name .NET types: they are reworded.
    /// </summary>
    public static string Describe(ParseError error, ParseResult parsed, IReadOnlyList<string> args)
    {
        // "--batch-norm no": a true/false option takes only true or false, so the parser leaves "no" unmatched.
        if (error.SymbolResult is CommandResult command && parsed.UnmatchedTokens.Count > 0)
        {
            for (int i = 1; i < args.Count; i++)
            {
                if (parsed.UnmatchedTokens.Contains(args[i]) && error.Message.Contains($"'{args[i]}'", StringComparison.Ordinal) &&
                    command.Command.Options.FirstOrDefault(o => o.Name == args[i - 1] || o.Aliases.Contains(args[i - 1])) is Option<bool> flag)
                    return $"{flag.Name}: '{args[i]}' is not valid; expected true or false (or nothing, for true).";
            }
        }
        OptionResult? option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null || !error.Message.Contains("System.", StringComparison.Ordinal)) return error.Message;
        string text = string.Join(" ", option.Tokens.Select(t => t.Value));
        Type type = System.Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        string expected = type == typeof(bool) ? "true or false" :
                          type == typeof(int) || type == typeof(long) ? "an integer" :
                          type == typeof(float) || type == typeof(double) ? "a number" : "another value";
        return $"{option.Option.Name}: '{text}' is not valid; expected {expected}.";
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    private static Func<ArgumentResult, T?> Parser<T>(Option<T> option, string expected, TryParse<T> parse) => result =>
    {
        if (result.Tokens.Count == 0) return option.DefaultValueFactory is { } defaultValue ? defaultValue(result) : default;
        string text = result.Tokens[0].Value;
        if (parse(text.Trim(), out T value)) return value;
        result.AddError($"{option.Name}: '{text}' is not valid; expected {expected}.");
        return default;
    };

    private static bool Nullable<T>(bool parsed, T value, out T? result) where T : struct
    {
        result = parsed ? value : null;
        return parsed;
    }

}
