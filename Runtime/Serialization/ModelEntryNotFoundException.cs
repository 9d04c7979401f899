namespace Simd.Runtime.Serialization;

/// <summary>A <see cref="ModelContainer"/> has no entry of the requested name.</summary>
public sealed class ModelEntryNotFoundException : KeyNotFoundException
{
    internal ModelEntryNotFoundException(string entryName, string? path = null)
        : base(path is null ? $"The model container has no entry named '{entryName}'." : $"Model file '{path}' has no entry named '{entryName}'.")
    {
        EntryName = entryName;
    }

    public string EntryName { get; }
}
