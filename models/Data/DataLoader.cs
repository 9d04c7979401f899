using Simd.Models.Cli;
using Simd.Runtime.Data;

namespace Simd.Models.Data;

/// <summary>
/// Reads what a data option names: a CSV file, an IDX images file with its labels, a part of an IDX folder, or
/// standard input, the format told from the content. Files go through <see cref="FileReads"/> so that they are
/// fingerprinted in the same read.
/// </summary>
internal static class DataLoader
{
    /// <summary>IDX images are scaled onto [0, 1] before the model's own feature scaling, as <see cref="IdxReader.LoadDataset"/> does.</summary>
    public const float IdxScale = 1f / 255f;

    /// <summary>A labelled dataset from a file or standard input.</summary>
    public static Dataset LoadFile(DataArgument data, LabelSource labels, FileReads reads, Func<Stream> standardInput)
    {
        return WithClassesRemedy(labels, () =>
        {
            (Dataset? csv, IdxArray? images) = data.Kind == DataKind.StandardInput
                ? ReadStandardInput(standardInput, input => ReadEither(input, data, labels))
                : reads.Read(data.Text, input => ReadEither(input, data, labels));
            if (csv is not null)
            {
                if (labels.LabelsPath is not null)
                    throw new ArgumentException($"{labels.LabelsOption} applies to IDX images; {Source(data)} is CSV text, with its labels in a column.");
                return csv;
            }
            string imagesSource = Source(data);
            if (images!.Dimensions.Length == 1)
                throw new DatasetFormatException(imagesSource,
                    $"is an IDX labels file (rank 1), not images; give the images file as {data.Option} (its labels file is found by name, or give {labels.LabelsOption}).");
            string labelsPath = LabelsFileOf(data, labels);
            IdxArray labelArray = reads.Read(labelsPath, input => IdxReader.Read(input));
            return IdxReader.ToDataset(images, imagesSource, labelArray, labelsPath, data.DatasetName, labels.ClassCount, IdxScale);
        });
    }

    /// <summary>
    /// The <paramref name="prefix"/> part (<see cref="IdxFolder.TrainPrefix"/> or <see cref="IdxFolder.TestPrefix"/>)
    /// of an IDX folder; a missing part is an error saying what to give instead (<paramref name="instead"/>).
    /// </summary>
    public static Dataset LoadFolderPart(DataArgument folder, string prefix, string name, LabelSource labels, FileReads reads, string instead)
    {
        if (labels.LabelsPath is not null)
            throw new ArgumentException($"{labels.LabelsOption} applies to an IDX images file; the folder '{folder.Text}' pairs its files by name.");
        IdxPair pair = IdxFolder.FindPart(folder.Text, prefix)
            ?? throw new FileNotFoundException(
                $"{folder.Option} '{folder.Text}': the folder has no {prefix}-images-idx3-ubyte (nor {prefix}-images.idx3-ubyte, .gz or not); {instead}.");
        return WithClassesRemedy(labels, () =>
        {
            IdxArray images = reads.Read(pair.ImagesPath, input => IdxReader.Read(input));
            IdxArray labelArray = reads.Read(pair.LabelsPath, input => IdxReader.Read(input));
            return IdxReader.ToDataset(images, pair.ImagesPath, labelArray, pair.LabelsPath, name, labels.ClassCount, IdxScale);
        });
    }

    /// <summary>Feature rows without labels (the input of a prediction): CSV rows, or the flattened images of an IDX file.</summary>
    public static (float[] Values, int Rows, int Columns, bool Idx) LoadFeatures(DataArgument data, Func<Stream> standardInput)
    {
        Func<DataInput, (float[], int, int, bool)> read = input =>
        {
            if (input.Format == DataFileFormat.Csv)
            {
                CsvTable table = CsvLoader.LoadTable(input);
                return (table.Values, table.Rows, table.Columns, false);
            }
            IdxArray images = IdxReader.Read(input);
            if (images.Dimensions.Length == 1 || images.Count == 0)
                throw new DatasetFormatException(input.Source,
                    images.Dimensions.Length == 1 ? "is an IDX labels file (rank 1), not images." : "holds no images.");
            float[] values = images.Values;
            for (int i = 0; i < values.Length; i++) values[i] *= IdxScale;
            return (values, images.Count, images.ItemSize, true);
        };
        return data.Kind == DataKind.StandardInput ? ReadStandardInput(standardInput, read) : new FileReads().Read(data.Text, read);
    }

    /// <summary>A two-class dataset as one 0/1 target per sample (a sigmoid output).</summary>
    public static Dataset ToBinaryTarget(Dataset classes)
    {
        var targets = new float[classes.Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = classes.Labels![i];
        return new Dataset(classes.Name, classes.Features, classes.FeatureCount, targets, 1);
    }

    public static string Source(DataArgument data) => data.Kind == DataKind.StandardInput ? DataArgument.StandardInputName : data.Text;

    private static (Dataset?, IdxArray?) ReadEither(DataInput input, DataArgument data, LabelSource labels) =>
        input.Format == DataFileFormat.Idx
            ? (null, IdxReader.Read(input))
            : (CsvLoader.Load(input, new CsvOptions { LabelColumn = labels.LabelColumn, ClassCount = labels.ClassCount, Name = data.DatasetName }), null);

    private static T ReadStandardInput<T>(Func<Stream> standardInput, Func<DataInput, T> read)
    {
        using DataInput input = DataInput.Open(standardInput(), DataArgument.StandardInputName, leaveOpen: true);
        return read(input);
    }

    private static string LabelsFileOf(DataArgument images, LabelSource labels)
    {
        if (labels.LabelsPath is string given)
        {
            if (!File.Exists(given)) throw new FileNotFoundException($"{labels.LabelsOption} '{given}' does not exist.", given);
            return given;
        }
        if (images.Kind == DataKind.StandardInput)
            throw new ArgumentException($"IDX images on standard input have no labels file beside them; give it with {labels.LabelsOption}.");
        string? expected = IdxFolder.LabelsNameOf(Path.GetFileName(images.FullPath!));
        return IdxFolder.FindLabelsFile(images.FullPath!)
            ?? throw new FileNotFoundException(expected is null
                ? $"{images.Option} '{images.Text}' is an IDX images file whose name has no 'images' to find its labels file by; give the labels file with {labels.LabelsOption}."
                : $"{images.Option} '{images.Text}' is an IDX images file, and its labels file {expected} (.gz or not) is not beside it; give the labels file with {labels.LabelsOption}.");
    }

    /// <summary>A stray label's remedy in command-line terms: the option that sets the class count, not the library's setting.</summary>
    private static T WithClassesRemedy<T>(LabelSource labels, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (DatasetFormatException e) when (e.ClassCountNeeded is int n && labels.ClassesOption is string option)
        {
            string remedy = n <= OptionFactory.MaxLayerWidth
                ? $"give {option} {n} if the data really has {n} classes"
                : $"a class index this large is not a label ({option} allows at most {OptionFactory.MaxLayerWidth} classes)";
            throw new DatasetFormatException(e.SourceName, $"{e.Problem}; {remedy}", e.Line, e.Column, e.Offset);
        }
    }
}
