namespace Simd.Runtime.Data;

/// <summary>An IDX images file and the labels file of the same samples.</summary>
public sealed record IdxPair(string ImagesPath, string LabelsPath);
