using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// Graphs nested in graphs (If branches, Loop bodies, a graphs list) 10,000 deep, and other deeply nested messages:
/// reading must not recurse into what it skips, so such a file gives a clean refusal rather than a stack overflow
/// (which no catch could stop: it would end the test process).
/// </summary>
public class OnnxNestingFuzzTests
{
    private const int Depth = 10_000;

    /// <summary>
    /// A model whose graph's one node carries a graph attribute whose one node carries another, <see cref="Depth"/>
    /// levels down. Written from the innermost level outwards into the end of one buffer, so that every message's
    /// length is the bytes to the end (building it by nesting copies would take quadratic time).
    /// </summary>
    private static byte[] Nested(string opType, string attribute, int attributeField, int attributeType)
    {
        var buffer = new Prepender();
        // The innermost graph: one Identity node.
        buffer.Message(1, new ProtoWriter().String(1, "x").String(2, "y").String(4, "Identity").ToArray());
        for (int level = 0; level < Depth; level++)
        {
            // AttributeProto { name, type, g | graphs = <the graph so far> }: the graph is the attribute's last field.
            buffer.Wrap(attributeField);
            buffer.Prefix(new ProtoWriter().String(1, attribute).Int(20, attributeType).ToArray());
            // NodeProto { input, output, op_type, attribute = <it> }
            buffer.Wrap(5);
            buffer.Prefix(new ProtoWriter().String(1, "c").String(2, "y").String(4, opType).ToArray());
            // GraphProto { node = <it> }
            buffer.Wrap(1);
        }
        // ModelProto { ir_version, opset_import, graph = <the outermost graph with its input and output> }
        buffer.Prefix(new ProtoWriter()
            .Message(11, OnnxWriter.Value("c", [null, 4]))
            .Message(12, OnnxWriter.Value("y", [null, 4]))
            .ToArray());
        buffer.Wrap(7);
        buffer.Prefix(new ProtoWriter().Int(1, 8).Message(8, o => o.String(1, "").Int(2, 13)).ToArray());
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("If", "then_branch", 6, 5)]
    [InlineData("Loop", "body", 6, 5)]
    [InlineData("Scan", "bodies", 11, 10)]
    public void GraphsNestedTenThousandDeepAreRefusedWithoutOverflowingTheStack(string opType, string attribute, int field, int type)
    {
        byte[] bytes = Nested(opType, attribute, field, type);
        OnnxModel model = OnnxModel.Read(bytes);
        Assert.Equal(opType, model.Graph.Nodes[0].OpType);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model));
        Assert.Contains(opType, e.Message, StringComparison.Ordinal);
        Assert.Equal(OnnxFuzzCase.Outcome.NotImported, OnnxFuzzCase.Check(bytes, $"{opType} nested {Depth} deep"));
    }

    /// <summary>The same depth damaged: truncated and with bits flipped at random (inner lengths then lie).</summary>
    [Fact]
    public void DamagedDeepNestingFailsCleanly()
    {
        byte[] bytes = Nested("If", "else_branch", 6, 5);
        var rng = new Random(OnnxFuzzCase.Seed);
        for (int i = 0; i < 50; i++)
        {
            OnnxFuzzCase.Check(OnnxFuzzMutator.Truncate(bytes, rng, out string cut), $"nested If {cut}");
            OnnxFuzzCase.Check(OnnxFuzzMutator.FlipBits(bytes, rng, out string flipped), $"nested If with {flipped}");
        }
    }

    /// <summary>A graph input whose type is a sequence of sequences … of tensors, 10,000 deep (TypeProto nests itself).</summary>
    [Fact]
    public void TypesNestedTenThousandDeepAreReadWithoutOverflowingTheStack()
    {
        var buffer = new Prepender();
        buffer.Message(1, new ProtoWriter().Int(1, 1).ToArray());      // TypeProto { tensor_type { elem_type FLOAT } }
        for (int level = 0; level < Depth; level++)
        {
            buffer.Wrap(1);                                         // Sequence { elem_type = <it> }
            buffer.Wrap(4);                                         // TypeProto { sequence_type = <it> }
        }
        buffer.Wrap(2);                                             // ValueInfoProto { type = <it> }
        buffer.Prefix(new ProtoWriter().String(1, "x").ToArray());
        buffer.Wrap(11);                                            // GraphProto { input = <it> }
        buffer.Wrap(7);
        buffer.Prefix(new ProtoWriter().Int(1, 8).ToArray());
        byte[] bytes = buffer.ToArray();
        OnnxModel model = OnnxModel.Read(bytes);
        Assert.Equal(OnnxDataType.Undefined, model.Graph.Inputs[0].ElementType);
        Assert.Equal(OnnxFuzzCase.Outcome.NotImported, OnnxFuzzCase.Check(bytes, $"type nested {Depth} deep"));
    }

    /// <summary>Bytes written back to front: each message is the field's tag, its length, then everything after it.</summary>
    private sealed class Prepender
    {
        private byte[] _buffer = new byte[1 << 16];
        private int _start = 1 << 16;

        private int Length => _buffer.Length - _start;

        public void Prefix(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            _start -= bytes.Length;
            bytes.CopyTo(_buffer.AsSpan(_start));
        }

        /// <summary>Makes everything written so far the body of field <paramref name="field"/>.</summary>
        public void Wrap(int field) => Prefix(new ProtoWriter().Tag(field, 2).Varint((ulong)Length).ToArray());

        public void Message(int field, ReadOnlySpan<byte> body)
        {
            Prefix(body);
            Wrap(field);
        }

        public byte[] ToArray() => _buffer[_start..];

        private void Reserve(int count)
        {
            if (_start >= count) return;
            var grown = new byte[Math.Max(_buffer.Length * 2, Length + count)];
            _buffer.AsSpan(_start).CopyTo(grown.AsSpan(grown.Length - Length));
            _start = grown.Length - Length;
            _buffer = grown;
        }
    }
}
