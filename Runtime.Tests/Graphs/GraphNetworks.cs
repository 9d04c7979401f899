using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>The non-chain networks the graph tests share, with smooth activations so gradient checks see no kinks.</summary>
internal static class GraphNetworks
{
    /// <summary>x → a = tanh(Dense) → r = a + Dense(tanh(BN(Dense(a)))) → Dense: a residual block with batch norm.</summary>
    public static Model Residual(int inputs, int width, int outputs, long seed = 3, int maxBatch = 32, float dropout = 0f)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(inputs));
        var a = g.Dense(x, width, ActivationKind.Tanh);
        var f = g.Activation(g.BatchNorm(g.Dense(a, width)), ActivationKind.Tanh);
        if (dropout > 0) f = g.Dropout(f, dropout);
        var r = g.Add(a, g.Dense(f, width));
        g.Output(g.Dense(r, outputs));
        return g.Build(seed, maxBatch);
    }

    /// <summary>x → concat(tanh(Dense(x)), Dense(sigmoid(Dense(x)))) → Dense: two paths of different widths.</summary>
    public static Model TwoBranch(int inputs, int outputs, long seed = 4, int maxBatch = 32)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(inputs));
        var left = g.Dense(x, 12, ActivationKind.Tanh);
        var right = g.Dense(g.Dense(x, 6, ActivationKind.Sigmoid), 5);
        g.Output(g.Dense(g.Concat(-1, left, right), outputs));
        return g.Build(seed, maxBatch);
    }

    /// <summary>a = tanh(Dense(x)) read three times: by two Dense paths and by the Add that joins their sum back to it.</summary>
    public static Model ThreeConsumers(int inputs, int outputs, long seed = 5, int maxBatch = 8)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(inputs));
        var a = g.Dense(x, 6, ActivationKind.Tanh);
        var b = g.Dense(a, 6, ActivationKind.Tanh);
        var c = g.Dense(a, 6, ActivationKind.Sigmoid);
        g.Output(g.Dense(g.Add(g.Add(b, c), a), outputs));
        return g.Build(seed, maxBatch);
    }
}
