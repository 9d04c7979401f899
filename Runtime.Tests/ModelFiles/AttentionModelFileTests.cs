using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>A model with a Dense over tokens, Split, Transpose and MatMul saves and loads back to the same bits, trainable and frozen.</summary>
public sealed class AttentionModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-attention-file-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheAttentionOpsRoundTripThroughTheModelFile()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(6, 8));
        IReadOnlyList<Value> qkv = g.Split(g.Dense(x, 24), -1, 8, 8, 8);
        Value h = g.MatMul(g.Softmax(g.MatMul(qkv[0], g.Transpose(qkv[1], 1, 0))), qkv[2]);
        g.Output(g.Dense(g.Flatten(g.LayerNorm(g.Add(x, h))), 3));
        using Model model = g.Build(seed: 7, maxBatch: 4);
        string path = _dir.PathOf("attention.simd");
        model.Save(path);
        using Model back = Model.Load(path, maxBatch: 4);
        float[] input = [.. Enumerable.Range(0, 4 * 48).Select(i => (i % 13) * 0.1f - 0.6f)];
        float[] expected = model.Forward(input, 4, training: false).ToArray();
        Assert.Equal(expected, back.Forward(input, 4, training: false).ToArray());
        using var frozen = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 4 });
        var served = new float[expected.Length];
        frozen.Predict(input, 4, served);
        for (int i = 0; i < served.Length; i++) Assert.Equal(expected[i], served[i], 1e-5f);
    }
}
