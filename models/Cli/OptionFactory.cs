using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Simd.Runtime.Serialization;

namespace Simd.Models.Cli;

/// <summary>Options with validation built in, so that every bad value is a parse error naming the option.</summary>
internal static class OptionFactory
{
    /// <summary>A named choice, kept as text so that help shows the names; <see cref="NamedChoices{T}.Parse"/> maps it.</summary>
    public static Option<string> Choice<T>(string name, string description, NamedChoices<T> choices, T defaultValue)
    {
        var option = new Option<string>(name)
        {
            Description = $"{description}: {choices.NameList}",
            HelpName = "name",
            DefaultValueFactory = _ => choices.NameOf(defaultValue),
        };
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out string? text)) return;
            if (!choices.TryParse(text, out _)) result.AddError($"{name}: {choices.ErrorFor(text)}");
        });
        return option;
    }

    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue) =>
        Validated(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
                  v => v >= min && v <= max, max == int.MaxValue ? $"an integer ≥ {min}" : $"an integer in [{min}, {max}]");

    public static Option<float> Float(string name, string description, float defaultValue, float min, float max, bool maxInclusive = true) =>
        Validated(new Option<float>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
                  v => float.IsFinite(v) && v >= min && (maxInclusive ? v <= max : v < max),
                  max == float.MaxValue ? $"a number ≥ {Format(min)}" : $"a number in [{Format(min)}, {Format(max)}{(maxInclusive ? "]" : ")")}");

    public static Option<double> Fraction(string name, string description, double defaultValue, bool allowZero) =>
        Validated(new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
                  v => (allowZero ? v >= 0 : v > 0) && v < 1, allowZero ? "a fraction in [0, 1)" : "a fraction in (0, 1)");

    /// <summary>A comma-separated list of layer widths such as <c>256,128</c>; empty or <c>none</c> for no hidden layer.</summary>
    public static Option<string> LayerList(string name, string description, int[] defaultValue)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = "n,n,…",
            DefaultValueFactory = _ => string.Join(",", defaultValue),
        };
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out string? text) && !TryParseLayers(text, out _, out string error)) result.AddError($"{name}: {error}");
        });
        return option;
    }

    public static bool TryParseLayers(string? text, out int[] widths, out string error)
    {
        widths = [];
        error = "";
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text == "none") return true;
        var values = new List<int>();
        foreach (string part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 1 || v > MaxLayerWidth)
            {
                error = $"'{part.Trim()}' in '{text}' is not a layer width (an integer in [1, {MaxLayerWidth}]); expected e.g. 256,128.";
                return false;
            }
            values.Add(v);
        }
        widths = values.ToArray();
        return true;
    }

    public const int MaxLayerWidth = 1 << 16;

    private static Option<T> Validated<T>(Option<T> option, Func<T, bool> isValid, string expected)
    {
        ValueParsers.Install(option, expected);
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out T? value)) return;
            if (value is null || !isValid(value))
                result.AddError($"{option.Name}: {Format(value)} is not valid; expected {expected}.");
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when its text did not even convert to the option's type: the parser has
    /// already reported that, and asking for the value would throw.
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>
    /// A command's option value for a command-level check, <paramref name="defaultValue"/> when it was not given
    /// (a command's validators run before defaults are filled in); false when it did not parse (already reported).
    /// </summary>
    public static bool TryGetValue<T>(CommandResult result, Option<T> option, T defaultValue, out T? value)
    {
        try
        {
            value = result.GetResult(option) is null ? defaultValue : result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Why a model or checkpoint could not be saved at <paramref name="path"/>, or null when it can.</summary>
    public static string? CannotSave(string path)
    {
        try
        {
            ModelContainer.CheckCanSave(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return UserMessage.Of(e);
        }
    }

    private static string Format<T>(T value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "nothing";
}
