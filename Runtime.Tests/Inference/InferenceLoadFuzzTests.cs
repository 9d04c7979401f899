using System.Buffers.Binary;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Serialization;

namespace Simd.Runtime.Tests.Inference;

/// <summary>
/// Version-2 model files damaged behind a valid checksum, so that the damage reaches the graph's entries: loading
/// one for inference either works or gives a <see cref="ModelFormatException"/>, never anything else, within 2 s and
/// 1 MiB. Two graphs (a chain with batch norm and dropout; a residual Add and a Concat) and two kinds of damage: a
/// bit flipped anywhere in the file, and an entry of the graph (op names, settings, input value lists, shapes,
/// outputs) rewritten with a flipped bit, a boundary value or another type. FUZZ_ITERATIONS runs it longer.
/// </summary>
public class InferenceLoadFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 1000;

    private static readonly long[] Boundaries = [0, 1, -1, 2, 7, 8, 16, 1 << 24, (1 << 24) + 1, 1 << 30, int.MaxValue, 1L << 40, long.MinValue, long.MaxValue];

    public static TheoryData<string> Graphs => ["chain", "residual-concat"];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void FlippedBitsLoadOrGiveAFormatError(string graph)
    {
        var valid = ModelFiles.Bytes(Container(graph));
        var rng = new Random(77);
        int loaded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var file = (byte[])valid.Clone();
            int bit = rng.Next(file.Length * 8);
            file[bit / 8] ^= (byte)(1 << (bit % 8));
            ModelFiles.FixChecksum(file);
            if (Load(file, $"bit {bit}") is null) loaded++;
        }
        Assert.InRange(loaded, 1, Iterations - 1);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void RewrittenGraphEntriesLoadOrGiveAFormatErrorNamingThem(string graph)
    {
        var valid = Container(graph);
        string[] structural = [.. valid.Names.Where(IsGraphEntry)];
        var rng = new Random(78);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        int loaded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            string name = structural[rng.Next(structural.Length)];
            var (damaged, how) = Rewrite(valid, name, rng);
            var e = Load(ModelFiles.Bytes(damaged), $"{name} {how}");
            if (e is null) loaded++;
            else refused.Add(Kind(e.Field));
        }
        Assert.InRange(loaded, 0, Iterations - 1);
        // The refusals came from the graph's own checks, not only from the container's.
        foreach (string kind in (string[])["node.op", "node.inputs", "node.attr", "graph.outputs", "input.shape", "graph.nodes"])
            Assert.Contains(kind, refused);
    }

    [Fact]
    public void TheFuzzedFilesAreVersionTwoGraphs()
    {
        var c = Container("residual-concat");
        Assert.Equal(Model.FormatName, c.GetString("model.format"));
        Assert.Equal(4, c.GetInt64("graph.nodes"));
        Assert.Equal(["dense", "add", "concat", "dense"], Enumerable.Range(0, 4).Select(i => c.GetString($"node.{i}.op")));
        Assert.Equal([2L, 0L], Int64s(c.GetBytes("node.2.inputs")));   // concat(add, input): int64 list bytes
        Assert.Equal(-1, c.GetInt64("node.2.attr.axis"));
        Assert.Equal("relu", c.GetString("node.0.attr.activation"));
        Assert.Equal([4L], Int64s(c.GetBytes("graph.outputs")));
        Assert.Equal([8L], Int64s(c.GetBytes("input.0.shape")));
    }

    private static ModelContainer Container(string graph)
    {
        Model model;
        if (graph == "chain")
        {
            model = new ModelBuilder(6).Dense(5).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.1f).Dense(3).Build(seed: 2, maxBatch: 2);
        }
        else
        {
            var g = new GraphBuilder();
            var x = g.Input(new TensorShape(8));
            var r = g.Add(x, g.Dense(x, 8, ActivationKind.Relu));
            g.Output(g.Dense(g.Concat(-1, r, x), 3));
            model = g.Build(seed: 3, maxBatch: 2);
        }
        using (model)
        {
            var container = new ModelContainer();
            model.WriteTo(container);
            return container;
        }
    }

    /// <summary>Null when the file loaded; the exception when it was refused as it must be.</summary>
    private static ModelFormatException? Load(byte[] file, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ModelFormatException? refused = null;
        try
        {
            using var frozen = InferenceModel.Load(new MemoryStream(file));
        }
        catch (ModelFormatException e)
        {
            refused = e;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of ModelFormatException: {e}");
        }
        Assert.True(clock.ElapsedMilliseconds < 2000, $"{what}: loading took {clock.ElapsedMilliseconds} ms");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"{what}: loading a {file.Length}-byte file allocated {allocated} bytes");
        return refused;
    }

    private static bool IsGraphEntry(string name) =>
        name.StartsWith("graph.", StringComparison.Ordinal) || name.StartsWith("input.", StringComparison.Ordinal) ||
        (name.StartsWith("node.", StringComparison.Ordinal) && !name.Contains(".tensor.", StringComparison.Ordinal));

    /// <summary>"node.3.attr.axis" → "node.attr", "entry 'node.1.op'" → "node.op": the kind of entry a refusal named.</summary>
    private static string Kind(string field)
    {
        string name = field.StartsWith("entry '", StringComparison.Ordinal) ? field[7..^1] : field;
        string[] parts = name.Split('.');
        return parts.Length >= 3 && int.TryParse(parts[1], out _) ? $"{parts[0]}.{parts[2]}" : name;
    }

    /// <summary>A copy of <paramref name="valid"/> with entry <paramref name="name"/> rewritten one way or another.</summary>
    private static (ModelContainer Damaged, string How) Rewrite(ModelContainer valid, string name, Random rng)
    {
        var c = new ModelContainer();
        foreach (var (n, entry) in valid.Entries())
            if (n != name) c.AddRead(n, entry);
        var original = valid.Entries().Single(e => e.Name == name).Entry;
        string how;
        switch (rng.Next(4))
        {
            case 0:   // another type
                how = "as a double";
                c.SetDouble(name, 8);
                break;
            case 1 when original.Type == ModelEntryType.Bytes && original.Bytes!.Length >= 8:
                var list = Int64s(original.Bytes);
                int at = rng.Next(list.Length);
                list[at] = Boundaries[rng.Next(Boundaries.Length)];
                how = $"element {at} = {list[at]}";
                c.SetBytes(name, ToBytes(list));
                break;
            case 1 when original.Type == ModelEntryType.Int64:
                long value = Boundaries[rng.Next(Boundaries.Length)];
                how = $"= {value}";
                c.SetInt64(name, value);
                break;
            case 2 when original.Type == ModelEntryType.Bytes:
                int length = Math.Max(0, original.Bytes!.Length + 8 * rng.Next(-2, 3) + (rng.Next(4) == 0 ? 3 : 0));
                how = $"resized to {length} bytes";
                var resized = new byte[length];
                original.Bytes.AsSpan(0, Math.Min(length, original.Bytes.Length)).CopyTo(resized);
                c.SetBytes(name, resized);
                break;
            default:  // one bit of the value flipped
                int bit = rng.Next(64);
                how = $"bit {bit} flipped";
                switch (original.Type)
                {
                    case ModelEntryType.Int64: c.SetInt64(name, original.Bits ^ (1L << bit)); break;
                    case ModelEntryType.Double: c.SetDouble(name, BitConverter.Int64BitsToDouble(original.Bits ^ (1L << bit))); break;
                    case ModelEntryType.String:
                        var text = (byte[])original.Bytes!.Clone();
                        if (text.Length > 0) text[rng.Next(text.Length)] ^= (byte)(1 << (bit % 7));   // stays ASCII, so valid UTF-8
                        c.SetString(name, System.Text.Encoding.UTF8.GetString(text));
                        break;
                    default:
                        var bytes = (byte[])original.Bytes!.Clone();
                        if (bytes.Length > 0) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << (bit % 8));
                        c.SetBytes(name, bytes);
                        break;
                }
                break;
        }
        return (c, how);
    }

    private static long[] Int64s(byte[] bytes) =>
        [.. Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8)))];

    private static byte[] ToBytes(long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }
}
