using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

/// <summary>Sample containers and byte-level helpers shared by the model file tests.</summary>
internal static class ModelFiles
{
    /// <summary>One entry of every type, with the awkward values: NaN payloads, −0, subnormals, empty and scalar tensors.</summary>
    public static ModelContainer Sample()
    {
        var c = new ModelContainer();
        c.SetInt64("epoch", long.MinValue + 3);
        c.SetDouble("learning rate", -0.0);
        c.SetDouble("nan", BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF));
        c.SetString("architecture", "dense 4→3 relu · ünïcödé");
        c.SetString("empty string", "");
        c.SetBytes("rng state", [1, 2, 3, 0, 255]);
        c.SetBytes("empty bytes", []);
        c.SetTensor("layer0.weights", [4, 3], Floats(12, seed: 1));
        c.SetTensor("layer0.bias", [3], [BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.Epsilon]);
        c.SetTensor("scalar", [], [float.NegativeInfinity]);
        c.SetTensor("empty", [0, 5], []);
        c.SetTensor("layer1.weights", [3, 2, 2], Floats(12, seed: 2));
        return c;
    }

    public static float[] Floats(int count, int seed)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    public static byte[] Bytes(ModelContainer c)
    {
        using var ms = new MemoryStream();
        c.WriteTo(ms);
        return ms.ToArray();
    }

    public static ModelContainer Read(byte[] bytes, ModelFileLimits? limits = null) =>
        ModelContainer.ReadFrom(new MemoryStream(bytes, writable: false), limits);

    /// <summary>Rewrites the trailing CRC-32C so that a deliberately damaged file reaches the field checks.</summary>
    public static void FixChecksum(byte[] file)
    {
        if (file.Length < 4) return;
        uint crc = Crc32C.Compute(file.AsSpan(0, file.Length - 4));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), crc);
    }

    /// <summary>Every entry equal in type and bits (NaN payloads and the sign of zero included).</summary>
    public static void AssertBitwiseEqual(ModelContainer expected, ModelContainer actual)
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var (name, e) in expected.Entries())
        {
            var a = actual.Entries().Single(x => x.Name == name).Entry;
            Assert.Equal(e.Type, a.Type);
            Assert.Equal(e.Bits, a.Bits);
            Assert.Equal(e.Bytes, a.Bytes);
            Assert.Equal(e.Shape, a.Shape);
            if (e.Tensor is not null)
                Assert.Equal(e.Tensor.Select(BitConverter.SingleToInt32Bits), a.Tensor!.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
