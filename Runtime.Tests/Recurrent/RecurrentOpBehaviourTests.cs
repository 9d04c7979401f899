using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>What the recurrent ops say about inputs that do not fit, and that every setting survives the attributes model files store.</summary>
public sealed class RecurrentOpBehaviourTests
{
    [Fact]
    public void EverySettingSurvivesTheAttributes()
    {
        RecurrentOp[] ops =
        [
            new LstmOp(5, direction: RecurrentDirection.Bidirectional, outputs: RecurrentOutputs.FinalState, initialState: true, lengths: true),
            new LstmOp(3, outputs: RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell),
            new GruOp(4, linearBeforeReset: false, direction: RecurrentDirection.Bidirectional, outputs: RecurrentOutputs.Sequence | RecurrentOutputs.FinalState, initialState: true),
            new GruOp(4, lengths: true, outputs: RecurrentOutputs.FinalState),
            new RnnOp(6, relu: true, direction: RecurrentDirection.Bidirectional, lengths: true),
            new RnnOp(2, direction: RecurrentDirection.Reverse, initialState: true, outputs: RecurrentOutputs.FinalState),
        ];
        foreach (var op in ops)
        {
            var clone = (RecurrentOp)OpRegistry.Clone(op);
            Assert.Equal(Attributes(op), Attributes(clone));
            Assert.Equal((op.Hidden, op.Direction, op.Outputs, op.HasInitialState, op.HasLengths),
                (clone.Hidden, clone.Direction, clone.Outputs, clone.HasInitialState, clone.HasLengths));
        }
        Assert.False(((GruOp)OpRegistry.Clone(ops[2])).LinearBeforeReset);
        Assert.True(((RnnOp)OpRegistry.Clone(ops[4])).Relu);
    }

    [Fact]
    public void BadAttributesAreNamed()
    {
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes("lstm").Set("hidden", 4).Set("direction", "backward")));
        Assert.Equal("lstm attribute 'direction' is 'backward', expected forward, reverse or bidirectional.", e.Message);
        e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes("rnn").Set("hidden", 4).Set("activation", "sigmoid")));
        Assert.Equal("rnn attribute 'activation' is 'sigmoid', expected tanh or relu.", e.Message);
        e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes("gru").Set("hidden", 0)));
        Assert.Equal("gru attribute 'hidden' is 0, expected a value in [1, 1048576].", e.Message);
        e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes("gru").Set("hidden", 2).Set("output", "all")));
        Assert.Equal("gru attribute 'output' is 'all', expected sequence, last and/or cell joined by '+' in that order (sequence+last, say).", e.Message);
        e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes("lstm").Set("hidden", 2).Set("output", "last+sequence")));
        Assert.Equal("lstm attribute 'output' is 'last+sequence', expected sequence, last and/or cell joined by '+' in that order (sequence+last, say).", e.Message);
        Assert.Equal(RecurrentOutputs.Sequence | RecurrentOutputs.FinalCell,
            ((LstmOp)OpRegistry.Create(new OpAttributes("lstm").Set("hidden", 2).Set("output", "sequence+cell"))).Outputs);
    }

    [Fact]
    public void InputsThatDoNotFitAreDescribed()
    {
        var g = new GraphBuilder();
        var flat = g.Input(new TensorShape(12));
        var e = Assert.Throws<ArgumentException>(() => g.Lstm(flat, 4));
        Assert.Equal("Node 'lstm0': lstm takes sequences [steps, features]; reshape a flat input to [steps, features] first: each sample must have 2 dimensions, got [12].", e.Message);

        var x = g.Input(new TensorShape(5, 3));
        e = Assert.Throws<ArgumentException>(() => g.Single(new LstmOp(4, initialState: true), x));
        Assert.Equal("Node 'lstm1': lstm takes 3 inputs (x, initial hidden state, initial cell state), got 1.", e.Message);
        var h0 = g.Input(new TensorShape(4));
        e = Assert.Throws<ArgumentException>(() => g.Gru(x, 3, direction: RecurrentDirection.Bidirectional, initialHidden: h0));
        Assert.Equal("Node 'gru0': gru's initial hidden state is [4] per sample, expected [6] (directions·hidden).", e.Message);
        var two = g.Input(new TensorShape(2));
        e = Assert.Throws<ArgumentException>(() => g.Rnn(x, 3, lengths: two));
        Assert.Equal("Node 'rnn0': rnn's sequence lengths are [2] per sample, expected [1] (one length per sample).", e.Message);
        e = Assert.Throws<ArgumentException>(() => g.Single(new GruOp(3, outputs: RecurrentOutputs.FinalCell), x));
        Assert.Equal("Node 'gru1': gru has no cell state to output; choose its sequence and/or its final state.", e.Message);
        e = Assert.Throws<ArgumentException>(() => g.Lstm(x, 3, layers: 0));
        Assert.Equal("A recurrent stack needs at least one layer, got 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => g.Lstm(x, 3, layers: 2, initialHidden: h0, initialCell: h0));
        Assert.Equal("Initial states are taken by a single layer; build the 2 layers one by one to give each its own.", e.Message);
    }

    [Theory]
    [InlineData(2.5f, "lstm: the length of sample 1 is 2.5, expected a whole number of steps in [0, 4].")]
    [InlineData(5f, "lstm: the length of sample 1 is 5, expected a whole number of steps in [0, 4].")]
    [InlineData(-1f, "lstm: the length of sample 1 is -1, expected a whole number of steps in [0, 4].")]
    [InlineData(float.NaN, "lstm: the length of sample 1 is NaN, expected a whole number of steps in [0, 4].")]
    public void LengthsOutsideTheSequenceAreRefused(float length, string message)
    {
        var op = new LstmOp(3, lengths: true);
        var b = new GraphBuilder();
        var x = b.Input(new TensorShape(4, 2));
        var lengths = b.Input(new TensorShape(1));
        b.Output(b.Single(op, x, lengths));
        var graph = b.BuildGraph();
        using var block = new ParameterBlock();
        op.ReserveTensors(block);
        block.Allocate();
        op.BindTensors(block);
        op.Initialize(new DeterministicRandom(1));
        var layout = ArenaLayout.ForTraining(graph, 2);
        using var arena = new AlignedBuffer(layout.Length);
        arena.Span.Clear();
        arena.Span.Slice(layout.ValueOffsets[lengths.Id], 2)[0] = 4;
        arena.Span.Slice(layout.ValueOffsets[lengths.Id], 2)[1] = length;
        var e = Assert.Throws<ArgumentException>(() =>
            op.Forward(new OpContext(arena.Span, default, default, layout, graph.Nodes[0], 2, training: true, threads: 1, random: null)));
        Assert.Equal(message, e.Message);
    }

    private static string Attributes(Op op)
    {
        var a = new OpAttributes(op.Kind);
        op.WriteAttributes(a);
        return a.ToString();
    }
}
