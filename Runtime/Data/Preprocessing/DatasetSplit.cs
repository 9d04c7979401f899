namespace Simd.Runtime.Data;

/// <summary>A dataset divided into disjoint training and test parts.</summary>
public sealed record DatasetSplit(Dataset Train, Dataset Test);
