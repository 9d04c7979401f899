using System.Buffers.Binary;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The ways the ONNX fuzzer damages a seed model. Each returns the damaged bytes and says what it did, so that a
/// failure can be reproduced from its message (with the seed and FUZZ_SEED).
/// </summary>
internal static class OnnxFuzzMutator
{
    /// <summary>Values a grown varint or length prefix takes: past int, past uint, past any file, the top of ulong, int.MinValue as protobuf sign-extends it.</summary>
    private static readonly ulong[] Huge =
    [
        int.MaxValue, (ulong)int.MaxValue + 1, uint.MaxValue, 1UL << 40, long.MaxValue, ulong.MaxValue, ulong.MaxValue - 1,
        0xFFFF_FFFF_8000_0000, 65536, 1_000_000,
    ];

    public static byte[] Truncate(byte[] seed, Random rng, out string what)
    {
        int length = rng.Next(seed.Length);
        what = $"truncated to {length} of {seed.Length} bytes";
        return seed[..length];
    }

    public static byte[] FlipBits(byte[] seed, Random rng, out string what)
    {
        var bytes = (byte[])seed.Clone();
        var bits = new SortedSet<long>();
        int flips = 1 + rng.Next(8);
        while (bits.Count < flips) bits.Add(rng.NextInt64((long)bytes.Length * 8));
        foreach (long bit in bits) bytes[bit / 8] ^= (byte)(1 << (int)(bit % 8));
        what = $"bits {string.Join(",", bits)} flipped";
        return bytes;
    }

    /// <summary>One length prefix (of a string, bytes or sub-message) grown to a huge value; every other length true.</summary>
    public static byte[] InflateLength(OnnxFuzzTree seed, Random rng, out string what)
    {
        OnnxFuzzTree tree = seed.Clone();
        var candidates = tree.All().Where(p => p.Field.Wire == 2).ToList();
        var (_, field) = candidates[rng.Next(candidates.Count)];
        ulong length = (ulong)(field.Child?.ToBytes().Length ?? field.Bytes.Length);
        field.LengthOverride = rng.Next(3) == 0 ? length + (ulong)rng.Next(1, 16) : Huge[rng.Next(Huge.Length)];
        what = $"field {field.Number}'s length {length} written as {field.LengthOverride}";
        return tree.ToBytes();
    }

    /// <summary>
    /// One varint grown to a huge value with the framing kept consistent: a field's value (a dims entry, data_type,
    /// dim_value, an int attribute) or one element of a packed varint list (packed dims, ints).
    /// </summary>
    public static byte[] InflateValue(OnnxFuzzTree seed, Random rng, out string what)
    {
        OnnxFuzzTree tree = seed.Clone();
        var all = tree.All();
        var varints = all.Where(p => p.Field.Wire == 0).ToList();
        var packed = all.Where(p => p.Field.Wire == 2 && p.Field.Child is null && p.Field.Bytes.Length is > 0 and < 4096 && Varints(p.Field.Bytes) is not null).ToList();
        ulong huge = Huge[rng.Next(Huge.Length)];
        if (packed.Count > 0 && (varints.Count == 0 || rng.Next(2) == 0))
        {
            var (_, field) = packed[rng.Next(packed.Count)];
            List<ulong> values = Varints(field.Bytes)!;
            int index = rng.Next(values.Count);
            values[index] = huge;
            var w = new ProtoWriter();
            foreach (ulong v in values) w.Varint(v);
            field.Bytes = w.ToArray();
            what = $"packed field {field.Number}'s element {index} set to {huge}";
        }
        else
        {
            var (_, field) = varints[rng.Next(varints.Count)];
            what = $"varint field {field.Number} = {field.Varint} set to {huge}";
            field.Varint = huge;
        }
        return tree.ToBytes();
    }

    /// <summary>
    /// A field repeated in its message (at another place, with its value changed half the time: two data_types, two
    /// raw_data, dims given twice, two graphs, two attributes of one name), or dropped.
    /// </summary>
    public static byte[] DuplicateOrDrop(OnnxFuzzTree seed, Random rng, out string what)
    {
        OnnxFuzzTree tree = seed.Clone();
        var all = tree.All();
        var (parent, field) = all[rng.Next(all.Count)];
        if (rng.Next(4) == 0)
        {
            parent.Fields.Remove(field);
            what = $"field {field.Number} dropped";
            return tree.ToBytes();
        }
        OnnxFuzzTree.Field copy = field.Clone();
        string change = "";
        if (rng.Next(2) == 0)
        {
            switch (copy.Wire)
            {
                case 0: copy.Varint = (ulong)rng.Next(0, 20); change = $" with value {copy.Varint}"; break;
                case 5: copy.Bytes = FloatBytes((float)rng.NextDouble()); change = " with another float"; break;
                case 2 when copy.Child is null && copy.Bytes.Length > 0:
                    copy.Bytes = copy.Bytes[..rng.Next(copy.Bytes.Length)];
                    change = $" cut to {copy.Bytes.Length} bytes";
                    break;
            }
        }
        int at = rng.Next(parent.Fields.Count + 1);
        parent.Fields.Insert(at, copy);
        what = $"field {field.Number} repeated at position {at}{change}";
        return tree.ToBytes();
    }

    /// <summary>Two to four of the structural mutations above, one after another.</summary>
    public static byte[] Several(OnnxFuzzTree seed, Random rng, out string what)
    {
        OnnxFuzzTree tree = seed;
        var steps = new List<string>();
        byte[] bytes = [];
        for (int k = 2 + rng.Next(3); k > 0; k--)
        {
            string step;
            bytes = rng.Next(3) switch
            {
                0 => InflateValue(tree, rng, out step),
                1 => DuplicateOrDrop(tree, rng, out step),
                _ => InflateLength(tree, rng, out step),
            };
            steps.Add(step);
            // A lying length makes the rest unparsable as a tree: it can only come last.
            if (step.Contains("length", StringComparison.Ordinal)) break;
            tree = OnnxFuzzTree.Parse(bytes);
        }
        what = string.Join("; ", steps);
        return bytes;
    }

    private static List<ulong>? Varints(byte[] bytes)
    {
        var values = new List<ulong>();
        int p = 0;
        while (p < bytes.Length)
        {
            ulong v = 0;
            int shift = 0;
            while (true)
            {
                if (p >= bytes.Length || shift > 63) return null;
                byte b = bytes[p++];
                v |= (ulong)(b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80) break;
            }
            values.Add(v);
        }
        return values;
    }

    /// <summary>A float's little-endian bytes.</summary>
    internal static byte[] FloatBytes(float value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        return b;
    }
}
