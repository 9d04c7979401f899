namespace Simd.Runtime.Serialization;

/// <summary>A <see cref="ModelContainer"/> entry holds another type than the one asked for.</summary>
internal sealed class ModelEntryTypeException(string entryName, string actual, string expected, string? path)
    : InvalidOperationException((path is null ? "" : $"Model file '{path}': ") + $"entry '{entryName}' holds a {actual}, not a {expected}.")
{
    public string EntryName { get; } = entryName;

    /// <summary>The defect as a model file sees it, for <see cref="ModelFormatException"/>.</summary>
    public string Detail { get; } = $"holds a {actual}, not a {expected}";
}
