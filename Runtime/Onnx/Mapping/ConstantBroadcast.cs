using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// A constant operand under ONNX's (numpy) broadcasting against one sample: its dimensions align with the
/// sample's from the right, each is 1 or the sample's, and a leading batch dimension, if present, is 1.
/// </summary>
internal static class ConstantBroadcast
{
    /// <summary>The constant spread over one sample of <paramref name="sample"/>.</summary>
    public static float[] ToSample(ImportContext context, OnnxNode node, OnnxTensor constant, TensorShape sample)
    {
        int rank = sample.Rank;
        IReadOnlyList<long> dims = constant.Dims;
        int skip = dims.Count - rank;
        bool fits = skip <= 1 && (skip < 1 || dims[0] == 1);
        var source = new long[rank];
        for (int k = 0; k < rank && fits; k++)
        {
            int j = k + skip;
            source[k] = j >= 0 ? dims[j] : 1;
            fits = source[k] == 1 || source[k] == sample[k];
        }
        context.Require(node, fits,
            $"constant '{constant.Name}' of shape {ImportContext.Dims(constant)} does not broadcast over one sample of {sample} (a batch dimension must be 1).");
        ReadOnlySpan<float> values = constant.Floats;
        var strides = new long[rank];
        long stride = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            strides[k] = source[k] == 1 ? 0 : stride;
            stride *= source[k];
        }
        var result = new float[sample.Length];
        for (int i = 0; i < result.Length; i++)
        {
            long at = 0;
            int rest = i;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += rest % sample[k] * strides[k];
                rest /= sample[k];
            }
            result[i] = values[(int)at];
        }
        return result;
    }

    /// <summary>A bias of shape [], [1], [n] or [1, n] spread over a row of n.</summary>
    public static float[] ToRow(ImportContext context, OnnxNode node, OnnxTensor constant, int n) =>
        ToSample(context, node, constant, new TensorShape(n));
}
