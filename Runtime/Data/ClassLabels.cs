namespace Simd.Runtime.Data;

/// <summary>
/// The class count of integer labels. Given, every label must lie below it. Not given, the labels present must be
/// exactly 0..N−1 for N distinct labels: a stray value (99 among the digits 0..9) is a typo or a wrong column far
/// more often than a hundred-class problem with 89 empty classes, so it is reported instead of widening the model.
/// </summary>
internal static class ClassLabels
{
    /// <summary>The class count; a label that does not fit is reported at <paramref name="locate"/>(its sample index).</summary>
    public static int Resolve(ReadOnlySpan<int> labels, int? classCount, string source, Func<int, Location> locate)
    {
        if (classCount is int given)
        {
            if (given < 1) throw new ArgumentException($"The class count must be at least 1, not {given}.");
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] >= given)
                    throw Error(source, locate(i), $"label {labels[i]}{locate(i).Item} is outside the {given} classes 0..{given - 1}.", null);
            }
            return given;
        }

        var distinct = new HashSet<int>();
        int max = 0;
        foreach (int label in labels)
        {
            distinct.Add(label);
            max = Math.Max(max, label);
        }
        int count = distinct.Count;
        if (labels.Length == 0) return 1;
        if (max < count) return count;

        int first = 0;
        while (labels[first] < count) first++;
        int value = labels[first];
        Location at = locate(first);
        int[] others = distinct.Where(l => l < count).Order().ToArray();
        bool othersNumbered = others.Length > 0 && others[^1] == others.Length - 1;
        string problem = othersNumbered
            ? $"label {value}{at.Item} is not one of the classes 0..{others.Length - 1} of the other labels"
            : $"label {value}{at.Item} does not fit the classes 0..{count - 1} of the {count} distinct labels present ({List(distinct)}): " +
              "class labels number the classes from 0 without gaps";
        throw Error(source, at, problem, max < int.MaxValue ? max + 1 : null);
    }

    /// <summary>Where a sample's label is, and how the message names the sample (e.g. " of sample 7").</summary>
    public readonly record struct Location(int? Line, long? Offset, string Item);

    private static DatasetFormatException Error(string source, Location at, string problem, int? needed) =>
        new(source, problem, at.Line, column: null, at.Offset, needed);

    private static string List(HashSet<int> values)
    {
        int[] sorted = values.Order().ToArray();
        return sorted.Length <= 12 ? string.Join(", ", sorted) : $"{string.Join(", ", sorted[..10])}, …, {sorted[^1]}";
    }
}
