using System.Globalization;

namespace Simd.Runtime.Ops;

/// <summary>
/// An op's settings by stable lower-case names, as model files store them and the registry's factories read them:
/// integers, floats (stored as double), strings and integer lists. Reading checks the type and range and names the
/// attribute and the op in its message.
/// </summary>
public sealed class OpAttributes
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public OpAttributes(string kind) => Kind = kind;

    /// <summary>The op these settings belong to (for messages).</summary>
    public string Kind { get; }

    /// <summary>Names in the order they were set.</summary>
    public IReadOnlyList<string> Names => _order;

    public object this[string name] => _values[name];

    public bool Contains(string name) => _values.ContainsKey(name);

    public OpAttributes Set(string name, long value) => Put(name, value);

    public OpAttributes Set(string name, double value) => Put(name, value);

    public OpAttributes Set(string name, string value) => Put(name, value);

    public OpAttributes Set(string name, long[] value) => Put(name, value.ToArray());

    public long GetInt64(string name, long min, long max)
    {
        long value = Get<long>(name, "an integer");
        if (value < min || value > max) throw Bad(name, $"is {value}, expected a value in [{min}, {max}]");
        return value;
    }

    public int GetInt32(string name, int min, int max) => (int)GetInt64(name, min, max);

    public long GetInt64(string name, long fallback) => _values.ContainsKey(name) ? Get<long>(name, "an integer") : fallback;

    public double GetDouble(string name) => _values.TryGetValue(name, out var v) && v is long l ? l : Get<double>(name, "a number");

    public double GetDouble(string name, double fallback) => _values.ContainsKey(name) ? GetDouble(name) : fallback;

    public string GetString(string name) => Get<string>(name, "a string");

    public string GetString(string name, string fallback) => _values.ContainsKey(name) ? GetString(name) : fallback;

    public long[] GetInt64s(string name) => Get<long[]>(name, "a list of integers");

    /// <summary>A message about attribute <paramref name="name"/> of this op.</summary>
    public OpAttributeException Bad(string name, string detail) => new(Kind, name, detail);

    public override string ToString() =>
        string.Join(", ", _order.Select(n => $"{n}={Format(_values[n])}"));

    private OpAttributes Put(string name, object value)
    {
        if (!_values.ContainsKey(name)) _order.Add(name);
        _values[name] = value;
        return this;
    }

    private T Get<T>(string name, string what)
    {
        if (!_values.TryGetValue(name, out var value)) throw Bad(name, "is missing");
        return value is T t ? t : throw Bad(name, $"is {Format(value)}, expected {what}");
    }

    private static string Format(object value) => value switch
    {
        long[] list => "[" + string.Join(", ", list) + "]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => $"'{s}'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

/// <summary>An op setting that is missing, of another type or out of range.</summary>
public sealed class OpAttributeException(string kind, string attribute, string detail)
    : ArgumentException($"{kind} attribute '{attribute}' {detail}.")
{
    public string OpKind { get; } = kind;

    public string Attribute { get; } = attribute;

    /// <summary>What is wrong, without the op and attribute names.</summary>
    public string Detail { get; } = detail;
}
