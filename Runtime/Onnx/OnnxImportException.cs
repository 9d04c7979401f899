namespace Simd.Runtime.Onnx;

/// <summary>
/// A well-formed ONNX graph that the importer cannot turn into a sequential model: an operator it does not map, an
/// attribute value our layers do not implement, a branch, or weights of the wrong shape. Names the node and its op.
/// </summary>
public sealed class OnnxImportException : NotSupportedException
{
    internal OnnxImportException(string node, string opType, string detail)
        : base($"ONNX node '{node}' ({opType}): {detail}")
    {
        Node = node;
        OpType = opType;
    }

    /// <summary>The node's name (or its first output when unnamed); "graph" for graph-level problems.</summary>
    public string Node { get; }

    public string OpType { get; }
}
