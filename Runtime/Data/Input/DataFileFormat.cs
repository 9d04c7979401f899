namespace Simd.Runtime.Data;

/// <summary>The format of a data file, told from its content (after gzip decompression), not its name.</summary>
public enum DataFileFormat
{
    /// <summary>Text: comma-separated numbers, one sample per line (anything that is not IDX is read as this).</summary>
    Csv,

    /// <summary>The MNIST IDX format: magic <c>00 00 type rank</c>, big-endian dimensions, then the values.</summary>
    Idx,
}
