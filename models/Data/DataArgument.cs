using Simd.Runtime.Data;

namespace Simd.Models.Data;

/// <summary>What a data option (--data, --test-data, --input) names.</summary>
internal enum DataKind
{
    /// <summary>A dataset known by name (<see cref="DatasetRegistry"/>).</summary>
    Known,

    /// <summary><c>-</c>: standard input, CSV or IDX.</summary>
    StandardInput,

    /// <summary>A folder of IDX files in the MNIST layout.</summary>
    IdxFolder,

    /// <summary>A CSV file or an IDX images file; the content tells which.</summary>
    File,
}

/// <summary>A data option's value resolved to a known dataset, standard input, an IDX folder or a file.</summary>
internal sealed record DataArgument(string Option, string Text, DataKind Kind, KnownDataset? Known, string? FullPath)
{
    public const string StandardInputName = "standard input";

    /// <summary>
    /// Resolves <paramref name="text"/>: a known name first (as before files existed), then <c>-</c> where
    /// <paramref name="standardInput"/> allows it, then a folder, then a file.
    /// </summary>
    public static DataArgument Resolve(string option, string text, bool standardInput)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{option}: expected a dataset name, a file or a folder.");
        if (text == "-")
        {
            if (!standardInput)
                throw new ArgumentException(
                    $"{option} -: train reads a file or a folder that the model file can name again; standard input is read by `evaluate --data -` and `predict --input -`.");
            return new DataArgument(option, text, DataKind.StandardInput, null, null);
        }
        if (DatasetRegistry.TryGet(text, out KnownDataset known)) return new DataArgument(option, text, DataKind.Known, known, null);
        if (Directory.Exists(text))
        {
            if (!IdxFolder.Contains(text))
                throw new ArgumentException(
                    $"{option} '{text}' is a folder without IDX files in the MNIST layout (train-images-idx3-ubyte, train-labels-idx1-ubyte, " +
                    "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, .gz or not).");
            return new DataArgument(option, text, DataKind.IdxFolder, null, Path.GetFullPath(text));
        }
        if (File.Exists(text)) return new DataArgument(option, text, DataKind.File, null, Path.GetFullPath(text));
        throw new ArgumentException(
            $"{option} '{text}' is neither a known dataset ({string.Join(", ", DatasetRegistry.Names)}) nor an existing file or folder.");
    }

    /// <summary>The name a dataset read from here gets: the known name, the file name without extensions, or the folder name.</summary>
    public string DatasetName => Kind switch
    {
        DataKind.Known => Known!.Name,
        DataKind.StandardInput => "stdin",
        _ => NameOf(FullPath!),
    };

    private static string NameOf(string path)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        int dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name.Length > 0 ? name : "data";
    }
}
