using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

/// <summary>
/// Damaged model files must give a <see cref="ModelFormatException"/> and nothing else, without allocating more
/// than the file's own size. The suite runs a few thousand seeded cases; set FUZZ_ITERATIONS (and FUZZ_SEED) to
/// run as many as wanted:
/// <c>FUZZ_ITERATIONS=1000000 dotnet test Runtime.Tests -c Release --filter FullyQualifiedName~ModelFileFuzzTests</c>
/// </summary>
public class ModelFileFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 3000;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out int s) ? s : 20261122;

    private static readonly byte[] Valid = ModelFiles.Bytes(ModelFiles.Sample());

    [Fact]
    public void EveryTruncationIsRejected()
    {
        for (int length = 0; length < Valid.Length; length++)
            AssertRejected(Valid[..length], $"truncated to {length} bytes");
    }

    [Fact]
    public void BitFlipsAreRejected()
    {
        var rng = new Random(Seed);
        for (int i = 0; i < Iterations; i++)
        {
            var file = Mutate(rng, out string what);
            AssertRejected(file, what);
        }
    }

    /// <summary>
    /// The same flips with the checksum recomputed, so that they reach every field check: the file is either still
    /// a valid model (a flipped payload bit) or rejected with the typed exception.
    /// </summary>
    [Fact]
    public void BitFlipsBehindAValidChecksumLoadOrAreRejected()
    {
        var rng = new Random(Seed + 1);
        int loaded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var file = Mutate(rng, out string what);
            ModelFiles.FixChecksum(file);
            if (TryRead(file, what)) loaded++;
        }
        // Flips land in payloads often enough that some files stay valid; all-rejected would mean a broken mutator.
        Assert.InRange(loaded, 1, Iterations - 1);
    }

    /// <summary>Random bytes after a valid header: the parser meets arbitrary field values.</summary>
    [Fact]
    public void RandomBodiesBehindAValidHeaderAndChecksumAreRejected()
    {
        var rng = new Random(Seed + 2);
        for (int i = 0; i < Iterations; i++)
        {
            var file = new byte[32 + rng.Next(4, 400)];
            rng.NextBytes(file.AsSpan(32));
            Valid.AsSpan(0, 32).CopyTo(file);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)rng.Next(0, 5));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)file.Length);
            ModelFiles.FixChecksum(file);
            TryRead(file, $"random body {i}");
        }
    }

    private static byte[] Mutate(Random rng, out string what)
    {
        var file = (byte[])Valid.Clone();
        int flips = 1 + rng.Next(8);
        // Distinct bits: flipping one twice would give back the valid file.
        var positions = new SortedSet<int>();
        while (positions.Count < flips) positions.Add(rng.Next(file.Length * 8));
        foreach (int bit in positions) file[bit / 8] ^= (byte)(1 << (bit % 8));
        int cut = rng.Next(4) == 0 ? rng.Next(file.Length) : file.Length;
        what = $"bits {string.Join(",", positions)} flipped, {cut} bytes kept";
        return file[..cut];
    }

    private static void AssertRejected(byte[] file, string what)
    {
        if (TryRead(file, what))
            Assert.Fail($"A damaged file ({what}) loaded.");
    }

    /// <summary>True when the file loads; false when it gives the typed exception; fails the test on anything else.</summary>
    private static bool TryRead(byte[] file, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            ModelFiles.Read(file);
            return true;
        }
        catch (ModelFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of ModelFormatException: {e}");
            return false;
        }
        finally
        {
            // Bounded by the bytes present: the stream, names, copies of the payloads and small fixed costs.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 * 1024 + 16L * file.Length, $"{what}: allocated {allocated} bytes for a {file.Length}-byte file");
        }
    }
}
