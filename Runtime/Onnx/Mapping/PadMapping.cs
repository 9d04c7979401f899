using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Pad as a <see cref="PadOp"/> over the sample axes (the batch's pads are 0): modes constant, reflect, edge and wrap;
/// before opset 11 the pads and the value are attributes ('paddings' in opset 1), from 11 on the pads are an int64
/// constant input and the value an optional scalar constant input, and from 18 an optional axes input names the axes
/// the pads are for. Pads list every axis's begin counts, then every axis's end counts; negative ones crop. In a
/// graph imported as one sample every axis is the sample's.
/// </summary>
internal static class PadMapping
{
    public static OnnxOpMapping[] Mappings => [new("Pad", OnnxOpTable.MinOpset, 4, Map)];

    private static void Map(ImportContext context, OnnxNode node)
    {
        string modeName = node.String("mode", "constant");
        PadMode mode = PadOp.ParseMode(modeName)
            ?? throw context.Fail(node, $"mode '{modeName}'; expected one of {string.Join(", ", PadOp.ModeNames)}.");
        long[] pads;
        float value;
        long[]? axes = null;
        if (context.Opset < 11)
        {
            context.Require(node, node.Inputs.Count == 1, $"{node.Inputs.Count} inputs; before opset 11 Pad takes one, its pads and value are attributes.");
            pads = [.. (node.Attribute("pads") is not null ? node.Ints("pads") : node.Ints("paddings"))];
            value = node.Float("value", 0);
        }
        else
        {
            context.Require(node, node.HasInput(1), "the pads input is missing.");
            pads = Int64s(context, node, 1, "pads");
            value = 0;
            if (node.HasInput(2))
            {
                context.Require(node, context.IsConstant(node, 2), $"constant_value '{node.Inputs[2]}' is computed; the importer maps Pad with a constant value.");
                OnnxTensor v = context.Weight(node, 2, rank: null);
                context.Require(node, v.ElementCount == 1, $"constant_value '{v.Name}' has shape {ImportContext.Dims(v)}; expected one value.");
                value = v.Floats[0];
            }
            if (node.HasInput(3)) axes = Int64s(context, node, 3, "axes");
        }
        Value x = context.Data(node, 0);
        // As one sample the ONNX axes are the sample's, shifted past the runtime's batch (index 0 of the full shape).
        int first = context.OneSample ? 1 : 0;
        int full = x.SampleShape.Rank + 1;
        string padsText = $"[{string.Join(", ", pads.Select(p => p.ToString(CultureInfo.InvariantCulture)))}]";
        int[] axisList;
        if (axes is null) axisList = [.. Enumerable.Range(first, full - first)];
        else
        {
            axisList = [.. axes.Select(a => context.FullAxis(node, a, x.SampleShape))];
            context.Require(node, axisList.Distinct().Count() == axisList.Length, $"axes [{string.Join(", ", axes)}] name an axis twice.");
        }
        context.Require(node, pads.Length == 2 * axisList.Length,
            $"pads {padsText} has {pads.Length} entries; expected {2 * axisList.Length} (a begin and an end count for each of the {axisList.Length} axes of {context.Bound(x).Shape}{(axes is null ? "" : " named by axes")}).");
        var before = new int[full - 1];
        var after = new int[full - 1];
        for (int i = 0; i < axisList.Length; i++)
        {
            long b = pads[i], e = pads[i + axisList.Length];
            if (axisList[i] == 0)
            {
                context.Require(node, b == 0 && e == 0, $"pads {padsText} pad the batch N ({b} before, {e} after); the importer pads the sample axes only.");
                continue;
            }
            context.Require(node, b is >= int.MinValue and <= int.MaxValue && e is >= int.MinValue and <= int.MaxValue, $"pads {padsText} holds a count too large for a tensor.");
            before[axisList[i] - 1] = (int)b;
            after[axisList[i] - 1] = (int)e;
        }
        context.Bind(node, context.Add(node, new PadOp(before, after, mode, value), x));
    }

    private static long[] Int64s(ImportContext context, OnnxNode node, int index, string what)
    {
        context.Require(node, context.IsConstant(node, index), $"{what} '{node.Inputs[index]}' is computed; the importer maps Pad with constant {what}.");
        OnnxTensor t = context.Initializer(node, index)!;
        context.Require(node, t.DataType is OnnxDataType.Int64 or OnnxDataType.Int32 && t.Dims.Count == 1,
            $"{what} '{t.Name}' holds {t.DataType} of shape {ImportContext.Dims(t)}; expected a list of int64.");
        return t.Int64s.ToArray();
    }
}
