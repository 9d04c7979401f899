using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>The sequence classifiers the whole-network tests run: a recurrent stack over [steps, features], its final state into Dense.</summary>
internal static class RecurrentNetworks
{
    public const int Classes = 4;

    public static TheoryData<string> Names() => new() { "lstm", "gru", "gru-reset-first", "rnn", "rnn-relu" };

    /// <summary>Two stacked layers (the first bidirectional, the second reverse), the second's final state, then Dense.</summary>
    public static Model Create(string cell, int maxBatch, int steps = 6, int features = 5, int hidden = 7, long seed = 3)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(steps, features));
        var h = Layer(g, cell, x, hidden, RecurrentDirection.Bidirectional, returnSequence: true);
        h = Layer(g, cell, h, hidden, RecurrentDirection.Reverse, returnSequence: false);
        g.Output(g.Dense(h, Classes));
        return g.Build(seed, maxBatch);
    }

    public static Value Layer(GraphBuilder g, string cell, Value x, int hidden, RecurrentDirection direction, bool returnSequence, int layers = 1) => cell switch
    {
        "lstm" => g.Lstm(x, hidden, layers, direction, returnSequence),
        "gru" => g.Gru(x, hidden, layers, direction, returnSequence),
        "gru-reset-first" => g.Gru(x, hidden, layers, direction, returnSequence, linearBeforeReset: false),
        "rnn" => g.Rnn(x, hidden, layers, relu: false, direction, returnSequence),
        "rnn-relu" => g.Rnn(x, hidden, layers, relu: true, direction, returnSequence),
        _ => throw new ArgumentException($"No cell '{cell}'."),
    };
}
