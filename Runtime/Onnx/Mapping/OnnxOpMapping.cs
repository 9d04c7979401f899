namespace Simd.Runtime.Onnx.Mapping;

/// <summary>Turns one ONNX node into graph nodes (or an alias of a value) through the import's context.</summary>
internal delegate void OnnxNodeMapper(ImportContext context, OnnxNode node);

/// <summary>
/// How one ONNX op type imports: the first default-domain opset whose semantics the mapper implements (older
/// versions of the op had other attributes or inputs), the most inputs the op defines, and the mapper.
/// </summary>
internal sealed record OnnxOpMapping(string OpType, long SinceOpset, int MaxInputs, OnnxNodeMapper Map);
