using Simd.Runtime.Graphs;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Passes;

/// <summary>
/// A graph for serving: the inference passes applied, its ops bound to a parameter block of their own that holds
/// parameters and buffers only (no gradients, no optimizer state: nothing trainable is built), then prepared
/// (weights packed for the GEMM micro-kernel). Immutable afterwards: any number of threads may run it at once.
/// </summary>
internal sealed class FrozenGraph : IDisposable
{
    private FrozenGraph(Graph graph, ParameterBlock block)
    {
        Graph = graph;
        Block = block;
    }

    public Graph Graph { get; }

    public ParameterBlock Block { get; }

    /// <summary>Freezes a trained graph as it evaluates (running statistics, no dropout); its tensors are copied once.</summary>
    public static FrozenGraph Freeze(Graph trained) => Freeze(new PassGraph(trained));

    /// <summary>Freezes a graph whose tensors <paramref name="passes"/> reads from their source; each is written once into the frozen block.</summary>
    public static FrozenGraph Freeze(PassGraph passes)
    {
        InferencePasses.Run(passes);
        var graph = passes.Build();
        var block = new ParameterBlock(trainable: false);
        try
        {
            foreach (var node in graph.Nodes) node.Op.ReserveTensors(block);
            // Not zeroed: every tensor is copied in below (the padding between tensors is never read).
            block.Allocate(zeroed: false);
            for (int n = 0; n < graph.Nodes.Count; n++)
            {
                var op = graph.Nodes[n].Op;
                op.BindTensors(block);
                var tensors = passes.Nodes[n].Tensors;
                for (int i = 0; i < op.Tensors.Count; i++)
                {
                    // .NET has no flush-to-zero mode, and a subnormal operand costs x86 cores up to a hundred times an
                    // ordinary one in every product it enters, on every call; a subnormal weight changes no output by
                    // more than 2⁻¹²⁶ times its input. Flushed as it is copied, in one pass.
                    tensors.WriteFlushed(op.Tensors[i].Name, op.TensorData(i));
                }
                op.Prepare();
            }
        }
        catch
        {
            foreach (var node in graph.Nodes) node.Op.ReleasePrepared();
            block.Dispose();
            throw;
        }
        return new FrozenGraph(graph, block);
    }

    public void Dispose()
    {
        foreach (var node in Graph.Nodes) node.Op.ReleasePrepared();
        Block.Dispose();
    }
}
