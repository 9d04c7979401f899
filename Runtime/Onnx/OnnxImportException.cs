namespace Simd.Runtime.Onnx;

/// <summary>
/// A well-formed ONNX graph that the importer cannot turn into a model: an operator, domain or opset it does not
/// map, an attribute value our ops do not implement, weights that are not constants or have the wrong shape, or a
/// graph without one data input and one output. Names the node, its op, domain and opset.
/// </summary>
public sealed class OnnxImportException : NotSupportedException
{
    internal OnnxImportException(OnnxNode node, long opset, string detail)
        : base($"ONNX node '{node.DisplayName}' ({node.OpType}, domain {DomainName(node.Domain)}, {OpsetName(opset)}): {detail}")
    {
        Node = node.DisplayName;
        OpType = node.OpType;
        Domain = DomainName(node.Domain);
        Opset = opset;
    }

    /// <summary>A problem of the graph as a whole (its inputs, its output, a node nothing reads).</summary>
    internal OnnxImportException(string detail)
        : base($"ONNX graph: {detail}")
    {
        Node = "graph";
        OpType = "";
        Domain = "";
    }

    /// <summary>
    /// True when the refusal comes only from reading the graph as one sample (<see cref="OnnxBatchMode.OneSample"/>):
    /// an input of a symbolic size, or an op not mapped without a batch axis. What the graph holds is then better
    /// told by the refusal of the import with a batch.
    /// </summary>
    internal bool OneSampleOnly { get; init; }

    /// <summary>The node's name (or its first output when unnamed); "graph" for graph-level problems.</summary>
    public string Node { get; }

    public string OpType { get; }

    /// <summary>The node's operator set domain ("ai.onnx" for the default); empty for graph-level problems.</summary>
    public string Domain { get; }

    /// <summary>The opset the model imports for that domain (0 when it imports none, or for graph-level problems).</summary>
    public long Opset { get; }

    internal static string DomainName(string domain) => domain.Length == 0 ? "ai.onnx" : domain;

    private static string OpsetName(long opset) => opset > 0 ? $"opset {opset}" : "no opset imported";
}
