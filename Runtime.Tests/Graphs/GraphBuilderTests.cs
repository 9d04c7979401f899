using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>A graph that cannot work is refused while it is built, with a message that names the node and what is wrong.</summary>
public sealed class GraphBuilderTests
{
    [Fact]
    public void AddOfTwoShapesNamesTheNodeAndTheShapes()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(5));
        var e = Assert.Throws<ArgumentException>(() => g.Add(g.Dense(x, 3), g.Dense(x, 4)));
        Assert.Equal("Node 'add0': add takes two inputs of one shape, got [3] and [4].", e.Message);
    }

    [Fact]
    public void AValueNobodyReadsIsRefused()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(5));
        var h = g.Dense(x, 4);
        g.Dense(h, 2);
        g.Output(g.Dense(h, 3));
        var e = Assert.Throws<InvalidOperationException>(g.BuildGraph);
        Assert.Equal("The output of node 'dense1' (Dense(4→2, Identity)) is used by nothing and is not a graph output.", e.Message);
    }

    [Fact]
    public void AnInputNobodyReadsIsRefused()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(5));
        g.Input(new TensorShape(2));
        g.Output(g.Dense(x, 3));
        var e = Assert.Throws<InvalidOperationException>(g.BuildGraph);
        Assert.Equal("Input 'input1' is not used by any node.", e.Message);
    }

    [Fact]
    public void AValueOfAnotherGraphIsRefused()
    {
        var other = new GraphBuilder();
        var foreign = other.Dense(other.Input(new TensorShape(5)), 4);
        var g = new GraphBuilder();
        g.Input(new TensorShape(5));
        var e = Assert.Throws<ArgumentException>(() => g.Dense(foreign, 2));
        Assert.Equal("Value 'dense0' belongs to another graph.", e.Message);
    }

    [Fact]
    public void AnOpInTwoNodesIsRefused()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(5));
        var op = new DenseOp(5);
        var h = g.Single(op, x);
        var e = Assert.Throws<ArgumentException>(() => g.Single(op, h));
        Assert.Equal("This dense op is already a node of the graph; create one op per node.", e.Message);
    }

    [Fact]
    public void AValueMarkedTwiceAsAnOutputIsRefused()
    {
        var g = new GraphBuilder();
        var y = g.Dense(g.Input(new TensorShape(3)), 2);
        g.Output(y);
        var e = Assert.Throws<ArgumentException>(() => g.Output(y));
        Assert.Equal("Value 'dense0' is already an output.", e.Message);
    }

    [Fact]
    public void ShapesAreCheckedWhereTheNodeIsAdded()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 3));
        var e = Assert.Throws<ArgumentException>(() => g.Single(new TransposeOp(1, 0, 2), x));
        Assert.Equal("Node 'transpose0': transpose takes samples with one axis for each entry of its order [1, 0, 2]: each sample must have 3 dimensions, got [2×3].", e.Message);
        Assert.Equal(new TensorShape(4), g.Dense(g.Flatten(x), 4).SampleShape);
        Assert.Equal(new TensorShape(2, 4), g.Dense(x, 4).SampleShape);
    }

    [Fact]
    public void ABuiltGraphTakesNoMoreNodes()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(3));
        g.Output(g.Dense(x, 2));
        g.BuildGraph();
        var e = Assert.Throws<InvalidOperationException>(() => g.Dense(x, 2));
        Assert.Equal("The graph has been built; start a new GraphBuilder.", e.Message);
    }
}
