using System.Text;

namespace Simd.Runtime.Onnx;

/// <summary>
/// A node attribute (AttributeProto) with the value kinds this reader keeps: f, i, s, t, floats, ints and strings.
/// Graph, sparse-tensor and type attributes keep only their name and type.
/// </summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeType type, float f, long i, byte[] s, OnnxTensor? t, float[] floats, long[] ints, string[] strings)
    {
        Name = name;
        Type = type;
        F = f;
        I = i;
        S = s;
        T = t;
        Floats = floats;
        Ints = ints;
        Strings = strings;
    }

    public string Name { get; }

    public OnnxAttributeType Type { get; }

    public float F { get; }

    public long I { get; }

    /// <summary>The bytes of a string attribute (ONNX strings are UTF-8).</summary>
    public byte[] S { get; }

    /// <summary><see cref="S"/> decoded as UTF-8.</summary>
    public string String => Encoding.UTF8.GetString(S);

    public OnnxTensor? T { get; }

    public IReadOnlyList<float> Floats { get; }

    public IReadOnlyList<long> Ints { get; }

    /// <summary>The strings of a strings attribute, decoded as UTF-8.</summary>
    public IReadOnlyList<string> Strings { get; }

    internal static OnnxAttribute Read(ProtoReader reader)
    {
        long start = reader.Offset;
        string name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = [];
        OnnxTensor? t = null;
        // Created when a field needs one: most attributes hold one value, and an attribute is a few bytes.
        List<float>? floats = null;
        List<long>? ints = null;
        List<string>? strings = null;
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case 1: name = reader.ReadString("name", wire); break;
                case 2: f = reader.ReadFloat("f", wire); break;
                case 3: i = reader.ReadInt64("i", wire); break;
                case 4: s = reader.ReadBytes("s", wire).ToArray(); break;
                case 5: t = OnnxTensor.Read(reader.ReadMessage("t", wire)); break;
                case 7: reader.ReadFloats("floats", wire, floats ??= []); break;
                case 8: reader.ReadInt64s("ints", wire, ints ??= []); break;
                case 9: (strings ??= []).Add(reader.ReadString("strings", wire)); break;
                case 20: type = reader.ReadInt32("type", wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        if (name.Length == 0)
            throw reader.Error("name", start, "attribute has no name");
        return new OnnxAttribute(name, (OnnxAttributeType)type, f, i, s, t, floats?.ToArray() ?? [], ints?.ToArray() ?? [], strings?.ToArray() ?? []);
    }
}
