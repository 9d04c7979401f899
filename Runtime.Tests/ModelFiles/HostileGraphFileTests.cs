using System.Buffers.Binary;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.ModelFileFormat;

[CollectionDefinition(nameof(HostileGraphFileTests), DisableParallelization = true)]
public sealed class HostileGraphFileCollection;

/// <summary>
/// Version-2 files damaged or written to harm: each is refused with a <see cref="ModelFormatException"/> that
/// names the entry and says in the file's terms what is wrong, before anything the declared sizes would allocate
/// is allocated. (Run alone so that the process's memory shows what loading allocated.)
/// </summary>
[Collection(nameof(HostileGraphFileTests))]
public sealed class HostileGraphFileTests
{
    /// <summary>
    /// Values: 0 input [8]; 1 node 0 dense 8 relu; 2 node 1 add (residual); 3 node 2 concat [16]; 4 node 3 dense 3.
    /// </summary>
    internal static ModelContainer ResidualConcat()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(8));
        var h = g.Dense(x, 8, ActivationKind.Relu);
        var r = g.Add(x, h);
        var c = g.Concat(-1, r, x);
        g.Output(g.Dense(c, 3));
        using var model = g.Build(seed: 4, maxBatch: 2);
        var container = new ModelContainer();
        model.WriteTo(container);
        return container;
    }

    private static long[] ReadInt64s(ReadOnlySpan<byte> bytes)
    {
        var values = new long[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(8 * i)..]);
        return values;
    }

    internal static byte[] Int64s(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    [Fact]
    public void TheUndamagedFileLoadsForTrainingAndInference()
    {
        var container = ResidualConcat();
        using var model = Model.ReadFrom(container);
        Assert.Equal(4, model.Nodes.Count);
        using var frozen = InferenceModel.Load(new MemoryStream(ModelFileBytes(container)));
        Assert.Equal((8, 3), (frozen.InputSize, frozen.OutputSize));
    }

    [Theory]
    [InlineData("unknown op", "node.1.op", "is 'conv3d', which is not an op; expected one of activation, adagrad-update, adam-update, add, avgpool2d, avgpool3d, batchnorm")]
    [InlineData("setting of another type", "node.0.attr.outputs", "is '8', expected an integer")]
    [InlineData("setting out of range", "node.0.attr.outputs", "is 0, expected a value in [1, 16777216]")]
    [InlineData("setting as a tensor", "node.0.attr.outputs", "is a tensor, but op settings are numbers, strings or lists of integers")]
    [InlineData("unknown activation", "node.0.attr.activation", "is 'Relu', expected one of relu, leaky-relu, elu")]
    [InlineData("unknown setting", "node.0.attr.activaton", "is not a setting of dense; its settings are outputs, activation, alpha, initializer")]
    [InlineData("concat axis out of range", "node.2.attr.axis", "is 9, expected a value in [-8, 7]")]
    [InlineData("dropout rate out of range", "node.1.attr.rate", "is 1.5, expected a value in [0, 1)")]
    [InlineData("reshape without dimensions", "node.1.op", "(reshape) cannot be made from the settings shape=[]: reshape takes 1 to 8 dimensions, got 0")]
    [InlineData("input named before it exists", "node.1.inputs", "names value 2, but only values 0..1 exist before this node")]
    [InlineData("negative input", "node.0.inputs", "names value -1, but only values 0..0 exist before this node")]
    [InlineData("inputs not whole integers", "node.0.inputs", "has 7 bytes, not a whole number of 8-byte integers")]
    [InlineData("too few inputs", "node.1.inputs", "(values 0) do not fit the add op: add takes 2 inputs, got 1")]
    [InlineData("inputs of other sizes", "node.1.inputs", "(values 0, 1) do not fit the add op: ")]
    [InlineData("tensor of another shape", "node.3.tensor.weights", "has shape [8, 3], but the graph's sizes make it [16, 3]")]
    [InlineData("tensor missing", "entry 'node.3.tensor.bias'", "is missing")]
    [InlineData("output missing", "graph.outputs", "names value 9, but the graph has values 0..4")]
    [InlineData("one output twice", "graph.outputs", "names value 4 twice")]
    [InlineData("an input no node reads", "graph.inputs", "is 2, but input 1 ('other') is read by no node")]
    [InlineData("no outputs", "graph.outputs", "names 0 values, expected 1 to 1024")]
    [InlineData("output used by nothing", "node.2.op", "(concat) computes value 3, which no node uses and graph.outputs does not name")]
    public void DamagedGraphsAreRefusedNamingTheEntry(string damage, string field, string detail)
    {
        var container = Damage(ResidualConcat(), damage);

        var e = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container));

        Assert.Equal(field, e.Field);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotMatch(@"\.$", e.Message);
        AssertInUserTerms(e.Message);
        // The inference loader reads the same entries, and says the same.
        var frozen = Assert.Throws<ModelFormatException>(() => InferenceModel.Load(new MemoryStream(ModelFileBytes(container))));
        Assert.Equal(e.Message, frozen.Message);
    }

    [Theory]
    [InlineData("input of 2^40 values", "input.0.shape", "is 1099511627776, expected a value in [1, 16777216]")]
    [InlineData("input of 2^20 × 2^20 values", "input.0.shape", "holds more than 16777216 values per sample")]
    [InlineData("dense of 2^30 outputs", "node.3.attr.outputs", "is 1073741824, expected a value in [1, 16777216]")]
    [InlineData("dense of 2^24 outputs without its weights", "node.3.tensor.weights", "has shape [16, 3], but the graph's sizes make it [16, 16777216]")]
    [InlineData("input of 2^24 values without weights", "node.0.op", "floats per sample")]
    [InlineData("concat doubling 40 times", "node.", "floats per sample")]
    [InlineData("reshape chain of a 2^24 input", "node.", "floats per sample")]
    public void AbsurdSizesAreRefusedBeforeAllocating(string damage, string field, string detail)
    {
        var container = Damage(ResidualConcat(), damage);
        byte[] file = ModelFileBytes(container);

        long managed = GC.GetAllocatedBytesForCurrentThread();
        long process = Environment.WorkingSet;
        var e = Assert.Throws<ModelFormatException>(() => InferenceModel.Load(new MemoryStream(file)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - managed;
        long grown = Environment.WorkingSet - process;

        Assert.StartsWith(field, e.Field);
        Assert.Contains(detail, e.Message);
        AssertInUserTerms(e.Message);
        Assert.True(allocated < 4 * file.Length + (1 << 20), $"{damage}: refusing a {file.Length}-byte file allocated {allocated} bytes");
        Assert.True(grown < 256L << 20, $"{damage}: the process grew by {grown >> 20} MiB while refusing it");
        // Loading for training bounds what training keeps for its 64 rows, not what serving 256 holds: the activation
        // bound may trip at another node, or at the whole graph's plan.
        var training = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container));
        Assert.True(training.Field == e.Field || training.Field == "graph.nodes" || training.Message.Contains(" floats per sample", StringComparison.Ordinal),
            training.Message);
        AssertInUserTerms(training.Message);
    }

    private static ModelContainer Damage(ModelContainer c, string damage)
    {
        switch (damage)
        {
            case "unknown op": c.SetString("node.1.op", "conv3d"); break;
            case "setting of another type": c.SetString("node.0.attr.outputs", "8"); break;
            case "setting out of range": c.SetInt64("node.0.attr.outputs", 0); break;
            case "setting as a tensor": c.SetTensor("node.0.attr.outputs", [1], [8f]); break;
            case "unknown activation": c.SetString("node.0.attr.activation", "Relu"); break;
            case "unknown setting": c.SetString("node.0.attr.activaton", "relu"); break;
            case "concat axis out of range": c.SetInt64("node.2.attr.axis", 9); break;
            case "dropout rate out of range":
                c.SetString("node.1.op", "dropout");
                c.SetDouble("node.1.attr.rate", 1.5);
                return Without(c, "node.1.attr.bias");
            case "reshape without dimensions":
                c.SetString("node.1.op", "reshape");
                c.SetBytes("node.1.attr.shape", []);
                return Without(c, "node.1.attr.bias");
            case "input named before it exists": c.SetBytes("node.1.inputs", Int64s(0, 2)); break;   // its own output: a cycle
            case "negative input": c.SetBytes("node.0.inputs", Int64s(-1)); break;
            case "inputs not whole integers": c.SetBytes("node.0.inputs", new byte[7]); break;
            case "too few inputs": c.SetBytes("node.1.inputs", Int64s(0)); break;
            case "inputs of other sizes":
                c.SetInt64("node.0.attr.outputs", 5);
                c.SetTensor("node.0.tensor.weights", [8, 5], new float[40]);
                c.SetTensor("node.0.tensor.bias", [5], new float[5]);
                break;
            case "tensor of another shape": c.SetTensor("node.3.tensor.weights", [8, 3], new float[24]); break;
            case "tensor missing": return Without(c, "node.3.tensor.bias");
            case "output missing": c.SetBytes("graph.outputs", Int64s(9)); break;
            case "one output twice": c.SetBytes("graph.outputs", Int64s(4, 4)); break;
            case "no outputs": c.SetBytes("graph.outputs", Int64s()); break;
            case "an input no node reads":
                // A second input, and every later value's number one higher: the graph is the same, input 1 unread.
                c.SetInt64("graph.inputs", 2);
                c.SetString("input.1.name", "other");
                c.SetBytes("input.1.shape", Int64s(8));
                for (int n = 0; n < c.GetInt64("graph.nodes"); n++)
                {
                    long[] ids = ReadInt64s(c.GetBytes($"node.{n}.inputs"));
                    c.SetBytes($"node.{n}.inputs", Int64s([.. ids.Select(id => id == 0 ? 0 : id + 1)]));
                }
                c.SetBytes("graph.outputs", Int64s([.. ReadInt64s(c.GetBytes("graph.outputs")).Select(id => id + 1)]));
                break;
            case "output used by nothing":   // the last dense reads the add instead of the concat
                c.SetBytes("node.3.inputs", Int64s(2));
                c.SetTensor("node.3.tensor.weights", [8, 3], new float[24]);
                break;
            case "input of 2^40 values": c.SetBytes("input.0.shape", Int64s(1L << 40)); break;
            case "input of 2^20 × 2^20 values": c.SetBytes("input.0.shape", Int64s(1 << 20, 1 << 20)); break;
            case "dense of 2^30 outputs": c.SetInt64("node.3.attr.outputs", 1 << 30); break;
            case "dense of 2^24 outputs without its weights": c.SetInt64("node.3.attr.outputs", 1 << 24); break;
            case "input of 2^24 values without weights":
                return Graph(c, [1 << 24], ("softmax", [0]));
            case "concat doubling 40 times":
                return Graph(c, [1 << 10], [.. Enumerable.Range(0, 40).Select(i => ("concat", new long[] { i, i }))]);
            case "reshape chain of a 2^24 input":
                return Graph(c, [1 << 12, 1 << 12], [.. Enumerable.Range(0, 64).Select(i => ("reshape", new long[] { i }))]);
            default: throw new ArgumentException(damage);
        }
        return c;
    }

    /// <summary>Replaces the graph by a chain of ops without tensors over one input, its last value the output.</summary>
    private static ModelContainer Graph(ModelContainer old, long[] inputShape, params (string Op, long[] Inputs)[] nodes)
    {
        var c = Without(old, [.. old.Names.Where(n => n.StartsWith("node.", StringComparison.Ordinal))]);
        c.SetBytes("input.0.shape", Int64s(inputShape));
        c.SetInt64("graph.nodes", nodes.Length);
        for (int n = 0; n < nodes.Length; n++)
        {
            c.SetString($"node.{n}.op", nodes[n].Op);
            c.SetBytes($"node.{n}.inputs", Int64s(nodes[n].Inputs));
            if (nodes[n].Op == "concat") c.SetInt64($"node.{n}.attr.axis", -1);
            if (nodes[n].Op == "reshape") c.SetBytes($"node.{n}.attr.shape", Int64s(n % 2 == 0 ? [-1] : [1 << 12, -1]));
        }
        c.SetBytes("graph.outputs", Int64s(nodes.Length));
        return c;
    }

    private static long[] Ids(ModelContainer c, string name)
    {
        byte[] b = c.GetBytes(name);
        return [.. Enumerable.Range(0, b.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(i * 8)))];
    }

    /// <summary>A copy of the container without some entries (containers cannot remove one).</summary>
    private static ModelContainer Without(ModelContainer c, params string[] names)
    {
        var kept = new ModelContainer();
        foreach (var (n, entry) in c.Entries())
            if (!names.Contains(n)) kept.AddRead(n, entry);
        return kept;
    }

    internal static byte[] ModelFileBytes(ModelContainer c)
    {
        using var ms = new MemoryStream();
        c.WriteTo(ms);
        return ms.ToArray();
    }

    /// <summary>What a user reads: no .NET names, parameter names or offsets of -1.</summary>
    internal static void AssertInUserTerms(string message)
    {
        Assert.DoesNotContain("(Parameter", message);
        Assert.DoesNotContain("Exception", message);
        Assert.DoesNotContain("System.", message);
        Assert.DoesNotContain("Simd.", message);
        Assert.DoesNotContain("at byte -1", message);
        Assert.DoesNotContain("Node '", message);   // the builder's names: a file names nodes by number
        Assert.DoesNotContain("Dense(", message);   // an op's ToString
    }
}
