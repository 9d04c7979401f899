namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The ONNX op types the importer maps, keyed by op type; each family of ops has its mapper in its own file. The
/// importer dispatches through this table only, and <see cref="OnnxImporter.SupportedOps"/> is read from it.
/// </summary>
internal static class OnnxOpTable
{
    /// <summary>ONNX opset 7 gave the ops here their present attributes and broadcasting (no "broadcast", "is_test",
    /// "consumed_inputs"); older models are refused rather than read with today's semantics.</summary>
    public const long MinOpset = 7;

    /// <summary>The newest default-domain opset the mappers were checked against (ONNX 1.22's node tests).</summary>
    public const long MaxOpset = 25;

    private static readonly OnnxOpMapping[] Mappings =
    [
        .. DenseMapping.Mappings, .. ConvMapping.Mappings, .. ConvTransposeMapping.Mappings, .. PoolMapping.Mappings, .. BinaryMapping.Mappings, .. ActivationMapping.Mappings, .. BatchNormMapping.Mappings, .. LayerNormMapping.Mappings,
        .. ShapeMapping.Mappings, .. ConcatMapping.Mappings, .. SoftmaxMapping.Mappings, .. DropoutMapping.Mappings,
        .. RecurrentMapping.Mappings, .. AxisMapping.Mappings, .. ShapeComputationMapping.Mappings, .. IdentityMapping.Mappings,
        .. UnaryMapping.Mappings, .. CastMapping.Mappings, .. ReduceMapping.Mappings, .. PReluMapping.Mappings,
        .. ComparisonMapping.Mappings, .. WhereMapping.Mappings, .. ExpandTileMapping.Mappings, .. PadMapping.Mappings, .. SplitMapping.Mappings,
        .. LossMapping.Mappings,
        .. SliceMapping.Mappings, .. GatherElementsMapping.Mappings,
        .. OptimizerMapping.Mappings,
    ];

    private static readonly Dictionary<string, OnnxOpMapping> ByOpType = Mappings.ToDictionary(m => m.OpType, StringComparer.Ordinal);

    /// <summary>The op types, in the table's order.</summary>
    public static IReadOnlyList<string> OpTypes { get; } = [.. Mappings.Select(m => m.OpType)];

    public static OnnxOpMapping? Find(string opType) => ByOpType.GetValueOrDefault(opType);
}
