using System.Text;

namespace Simd.Runtime.Serialization;

/// <summary>
/// Named values (integers, doubles, strings, byte blobs, float32 tensors) saved to and loaded from one model
/// file: architectures, weights, optimizer state and checkpoints all travel in it. Values are copied in on Set
/// and copied out on Get, so a container never shares memory with its callers. Names keep their first insertion
/// order. Not thread-safe for writers; concurrent readers are fine.
/// </summary>
public sealed class ModelContainer
{
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, ModelEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Entry names in the order they were first set (or read from the file).</summary>
    public IEnumerable<string> Names => _order;

    internal int Count => _order.Count;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public void SetInt64(string name, long v) => Put(name, ModelEntry.Int64(v));

    public void SetDouble(string name, double v) => Put(name, ModelEntry.Double(v));

    public void SetString(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(v);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"String entry '{name}' is not valid UTF-16 (lone surrogate): {e.Message}", nameof(v));
        }
        Put(name, ModelEntry.Utf8(utf8));
    }

    public void SetBytes(string name, ReadOnlySpan<byte> v) => Put(name, ModelEntry.Blob(v.ToArray()));

    /// <summary>A float32 tensor of the given shape (row-major; rank 0 is a scalar of one element).</summary>
    public void SetTensor(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> data)
    {
        if (shape.Length > ModelFileFormat.MaxRank)
            throw new ArgumentException($"Tensor '{name}' has rank {shape.Length}; at most {ModelFileFormat.MaxRank} is allowed.", nameof(shape));
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentException($"Tensor '{name}' dimension {i} is {shape[i]}; expected ≥ 0.", nameof(shape));
            count = Math.Min(count * shape[i], long.MaxValue / int.MaxValue);
        }
        if (count != data.Length)
            throw new ArgumentException(
                $"Tensor '{name}' of shape [{string.Join(", ", shape.ToArray())}] needs {count} elements, got {data.Length}.", nameof(data));
        Put(name, ModelEntry.Float32(shape.ToArray(), data.ToArray()));
    }

    public long GetInt64(string name) => Get(name, ModelEntryType.Int64).Bits;

    public double GetDouble(string name) => BitConverter.Int64BitsToDouble(Get(name, ModelEntryType.Double).Bits);

    public string GetString(string name) => StrictUtf8.GetString(Get(name, ModelEntryType.String).Bytes!);

    public byte[] GetBytes(string name) => (byte[])Get(name, ModelEntryType.Bytes).Bytes!.Clone();

    /// <summary>A copy of the tensor's elements (row-major) and its shape.</summary>
    public float[] GetTensor(string name, out int[] shape)
    {
        var e = Get(name, ModelEntryType.Float32Tensor);
        shape = (int[])e.Shape!.Clone();
        return (float[])e.Tensor!.Clone();
    }

    /// <summary>The type of an entry (readers of open-ended entry sets, such as op settings).</summary>
    internal ModelEntryType TypeOf(string name) =>
        _entries.TryGetValue(name, out var e) ? e.Type : throw new ModelEntryNotFoundException(name);

    /// <summary>A tensor's shape without copying its elements.</summary>
    internal ReadOnlySpan<int> GetTensorShape(string name) => Get(name, ModelEntryType.Float32Tensor).Shape;

    /// <summary>
    /// Writes the container to <paramref name="path"/> atomically: a temporary file in the same directory is
    /// written, flushed to the disk, then renamed over the target, so a crash never leaves a partial file there.
    /// First removes what earlier saves of the same target left when their process was killed mid-write (see
    /// <see cref="RemoveStaleTemporaryFiles"/>) and returns those files' paths.
    /// </summary>
    /// <exception cref="IOException">The target cannot be written (see <see cref="CheckCanSave"/>) or the write
    /// failed; the message names <paramref name="path"/>, never the temporary file.</exception>
    public IReadOnlyList<string> Save(string path) => Save(path, wrap: null);

    /// <summary><see cref="Save(string)"/>, with the file stream wrapped (tests simulate a crash mid-write).</summary>
    internal IReadOnlyList<string> Save(string path, Func<Stream, Stream>? wrap)
    {
        var (full, directory) = SaveTarget.Check(path);
        IReadOnlyList<string> removed = SaveTarget.RemoveStaleTemporaryFiles(full);
        SaveTarget.WriteAtomically(path, full, directory, file => WriteTo(wrap is null ? file : wrap(file)));
        return removed;
    }

    /// <summary>
    /// Throws <see cref="IOException"/>, naming <paramref name="path"/>, when <see cref="Save(string)"/> could not
    /// write there: the path is a folder, its folder is missing or is a file, the file is read-only, or the folder
    /// refuses a new file (found by creating and deleting one, since permission bits do not bind every user).
    /// Call it before long work whose result goes there.
    /// </summary>
    public static void CheckCanSave(string path)
    {
        var (full, directory) = SaveTarget.Check(path);
        string probe = Path.Combine(directory, SaveTarget.TemporaryName(full));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SaveTarget.NotWritable(path, directory, e);
        }
    }

    /// <summary>
    /// Deletes the temporary files (<c>.{name}.{16 hex digits}.tmp</c> beside it) that saves of
    /// <paramref name="path"/> left when their process died mid-write, and returns their paths. A file that a
    /// live save still writes is locked (see <see cref="Save(string)"/>) and kept; so is one this user may not delete.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaryFiles(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SaveTarget.RemoveStaleTemporaryFiles(Path.GetFullPath(path));
    }

    /// <summary>Reads a model file, validating it completely (see <see cref="ReadFrom"/>); errors name the file.</summary>
    public static ModelContainer Load(string path, ModelFileLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            ModelContainer container = ModelFileReader.Read(file, limits ?? ModelFileLimits.Default, requireExactLength: true);
            container.SourcePath = path;
            return container;
        }
        catch (ModelFormatException e)
        {
            throw e.WithPath(path);
        }
    }

    /// <summary>The file <see cref="Load"/> read this container from (as given); null for one built in memory or read from a stream.</summary>
    internal string? SourcePath { get; private set; }

    /// <summary>The limits the container was read under (the defaults for one built in memory): a model loader bounds its activations by them.</summary>
    internal ModelFileLimits Limits { get; set; } = ModelFileLimits.Default;

    /// <summary>Writes the model at the stream's position.</summary>
    public void WriteTo(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        ModelFileWriter.Write(this, s);
    }

    /// <summary>
    /// Reads a model starting at the stream's position and leaves the stream just after it (other data may
    /// follow). The checksum and every field are validated against
    /// <paramref name="limits"/> (default <see cref="ModelFileLimits.Default"/>) and the bytes actually present
    /// before anything is allocated for them; any defect gives a <see cref="ModelFormatException"/>.
    /// </summary>
    public static ModelContainer ReadFrom(Stream s, ModelFileLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        return ModelFileReader.Read(s, limits ?? ModelFileLimits.Default);
    }

    internal IEnumerable<(string Name, ModelEntry Entry)> Entries()
    {
        foreach (var name in _order) yield return (name, _entries[name]);
    }

    /// <summary>Adds an entry read from a file; the reader has already rejected duplicates.</summary>
    internal void AddRead(string name, ModelEntry entry)
    {
        _entries.Add(name, entry);
        _order.Add(name);
    }

    private void Put(string name, ModelEntry entry)
    {
        ValidateName(name);
        if (_entries.TryAdd(name, entry)) _order.Add(name);
        else _entries[name] = entry;
    }

    private ModelEntry Get(string name, ModelEntryType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_entries.TryGetValue(name, out var e)) throw new ModelEntryNotFoundException(name, SourcePath);
        if (e.Type != type)
            throw new ModelEntryTypeException(name, ModelFileFormat.TypeName(e.Type), ModelFileFormat.TypeName(type), SourcePath);
        return e;
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"Entry name '{name}' is not valid UTF-16 (lone surrogate).", nameof(name));
        }
        if (bytes is 0 or > ModelFileFormat.MaxNameBytes)
            throw new ArgumentException($"Entry name must have 1..{ModelFileFormat.MaxNameBytes} UTF-8 bytes, got {bytes}.", nameof(name));
    }
}
