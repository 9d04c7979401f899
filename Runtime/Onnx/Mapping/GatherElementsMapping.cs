using System.Globalization;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// GatherElements of a computed value by constant indices (a loss's pick of each position's class by its label) as a
/// <see cref="GatherElementsOp"/>. The indices have the data's rank and cover the whole tensor, batch included, so a
/// graph with a batch axis is refused (its batch would be fixed at the indices'); imported as one sample, the tensor
/// is the sample and every index is checked against the data's shape at import. Constant data folds.
/// </summary>
internal static class GatherElementsMapping
{
    public static OnnxOpMapping[] Mappings => [new("GatherElements", 11, 2, Map)];

    private static void Map(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1),
            $"GatherElements with {node.Inputs.Count} inputs; expected 2 (data, indices).");
        OnnxTensor indices = context.KnownConstant(node, 1)
            ?? throw context.Fail(node, $"the indices '{node.Inputs[1]}' are computed; the importer maps GatherElements with constant indices.");
        context.Require(node, indices.DataType is OnnxDataType.Int64 or OnnxDataType.Int32,
            $"the indices '{indices.Name}' are {indices.DataType}; GatherElements takes int64 or int32 indices.");
        BoundTensor x = context.Tensor(node, 0);
        int rank = x.Rank;
        long given = node.Int("axis", 0);
        context.Require(node, given >= -rank && given < rank,
            string.Create(CultureInfo.InvariantCulture, $"axis {given} is outside the {rank} dimensions of the data {x.Shape}."));
        int axis = (int)(given < 0 ? given + rank : given);
        context.Require(node, x.BatchAxis < 0,
            $"the indices '{indices.Name}' {ImportContext.Dims(indices)} are a constant over the whole tensor, the batch N of {x.Shape} included; the importer maps GatherElements in a graph without a batch axis (imported as one sample), where the indices pick within the one sample.");
        context.Require(node, indices.Dims.Count == rank,
            $"the indices '{indices.Name}' have shape {ImportContext.Dims(indices)}; GatherElements takes indices of the data's rank ({x.Shape}).");
        for (int k = 0; k < rank; k++)
            context.Require(node, k == axis ? indices.Dims[k] >= 1 : indices.Dims[k] >= 1 && indices.Dims[k] <= x.Dims[k],
                string.Create(CultureInfo.InvariantCulture, $"the indices '{indices.Name}' have shape {ImportContext.Dims(indices)}; off axis {axis} each of their sizes must be at least 1 and at most the data's {x.Shape} (axis {k} is {indices.Dims[k]})."));
        long size = x.Dims[axis];
        ReadOnlySpan<long> values = indices.Int64s;
        var picks = new int[values.Length];
        for (int i = 0; i < picks.Length; i++)
        {
            long v = values[i];
            context.Require(node, v >= -size && v < size,
                string.Create(CultureInfo.InvariantCulture, $"index {v} (element {i} of the indices '{indices.Name}') is outside axis {axis} of the data {x.Shape}; expected {-size} to {size - 1}."));
            picks[i] = (int)(v < 0 ? v + size : v);
        }
        int[] shape = [.. indices.Dims.Select(d => (int)d)];
        context.Bind(node, context.Add(node, new GatherElementsOp(axis, shape, picks), context.Data(node, 0)));
    }
}
