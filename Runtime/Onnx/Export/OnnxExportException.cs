namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// A model the exporter cannot write as ONNX: a node whose op, or an attribute value of it, has no ONNX form this
/// exporter writes. Names the node and its op; raised before any file is written.
/// </summary>
public sealed class OnnxExportException : NotSupportedException
{
    internal OnnxExportException(string node, string opKind, string detail)
        : base($"Node '{node}' ({opKind}) cannot be exported to ONNX: {detail}")
    {
        Node = node;
        OpKind = opKind;
    }

    /// <summary>The node's name in the model's graph.</summary>
    public string Node { get; }

    /// <summary>The op's kind, as the model file names it (dense, conv2d, …).</summary>
    public string OpKind { get; }
}
