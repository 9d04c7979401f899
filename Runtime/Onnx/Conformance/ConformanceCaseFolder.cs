namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// A folder in the layout of ONNX's node tests: model.onnx beside test_data_set_0, test_data_set_1, … each holding
/// input_0.pb, … and output_0.pb, … (serialized TensorProtos in graph input and output order).
/// </summary>
public sealed class ConformanceCaseFolder
{
    public const string ModelFile = "model.onnx";

    private const string DataSetPrefix = "test_data_set_";

    private ConformanceCaseFolder(string name, string path)
    {
        Name = name;
        Path = path;
    }

    /// <summary>The folder's path below the folder searched, with '/' between levels (its own name when that folder is the case).</summary>
    public string Name { get; }

    public string Path { get; }

    public string ModelPath => System.IO.Path.Combine(Path, ModelFile);

    /// <summary>The test_data_set_N folders, by N.</summary>
    public IReadOnlyList<string> DataSets()
    {
        var sets = new List<(long Index, string Path)>();
        foreach (string d in Directory.EnumerateDirectories(Path, DataSetPrefix + "*"))
        {
            string suffix = System.IO.Path.GetFileName(d)[DataSetPrefix.Length..];
            if (long.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
                sets.Add((n, d));
        }
        return [.. sets.OrderBy(s => s.Index).Select(s => s.Path)];
    }

    /// <summary>
    /// Every folder at or below <paramref name="root"/> that holds a model.onnx, ordered by name (ordinal), so that
    /// a run over ONNX's whole test data tree or over one case folder both work.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is not a folder.</exception>
    public static IReadOnlyList<ConformanceCaseFolder> Find(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"'{root}' is not a folder.");
        string full = System.IO.Path.GetFullPath(root);
        var cases = new List<ConformanceCaseFolder>();
        foreach (string model in Directory.EnumerateFiles(full, ModelFile, SearchOption.AllDirectories))
        {
            string folder = System.IO.Path.GetDirectoryName(model)!;
            string relative = System.IO.Path.GetRelativePath(full, folder);
            string name = relative == "." ? System.IO.Path.GetFileName(folder.TrimEnd(System.IO.Path.DirectorySeparatorChar))
                : relative.Replace(System.IO.Path.DirectorySeparatorChar, '/');
            cases.Add(new ConformanceCaseFolder(name, folder));
        }
        cases.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return cases;
    }
}
