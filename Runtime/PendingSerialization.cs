// Stand-in for the model-file container that is not on main yet; deleted once it lands.
namespace Simd.Runtime;

public sealed class ModelFormatException : Exception
{
    internal ModelFormatException(string field, long offset, string detail) : base($"Invalid model file: {field} at offset {offset}: {detail}")
    {
        Field = field;
        Offset = offset;
    }
    public string Field { get; }
    public long Offset { get; }
}

public sealed class ModelContainer
{
    private readonly Dictionary<string, object> _entries = new();
    private readonly List<string> _order = new();
    public IEnumerable<string> Names => _order;
    public bool Contains(string name) => _entries.ContainsKey(name);
    private void Put(string name, object v) { if (!_entries.ContainsKey(name)) _order.Add(name); _entries[name] = v; }
    public void SetInt64(string name, long v) => Put(name, v);
    public void SetDouble(string name, double v) => Put(name, v);
    public void SetString(string name, string v) => Put(name, v);
    public void SetBytes(string name, ReadOnlySpan<byte> v) => Put(name, v.ToArray());
    public void SetTensor(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> data) => Put(name, (shape.ToArray(), data.ToArray()));
    private object Get(string name) => _entries.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException(name);
    public long GetInt64(string name) => (long)Get(name);
    public double GetDouble(string name) => (double)Get(name);
    public string GetString(string name) => (string)Get(name);
    public byte[] GetBytes(string name) => (byte[])((byte[])Get(name)).Clone();
    public float[] GetTensor(string name, out int[] shape)
    {
        var (s, d) = ((int[], float[]))Get(name);
        shape = (int[])s.Clone();
        return (float[])d.Clone();
    }
    private static readonly Dictionary<string, ModelContainer> Files = new();
    public void Save(string path) { lock (Files) Files[Path.GetFullPath(path)] = Clone(); File.WriteAllText(path, "stand-in"); }
    public static ModelContainer Load(string path) { lock (Files) return Files[Path.GetFullPath(path)].Clone(); }
    private ModelContainer Clone()
    {
        var c = new ModelContainer();
        foreach (var n in _order) c.Put(n, _entries[n]);
        return c;
    }
}
