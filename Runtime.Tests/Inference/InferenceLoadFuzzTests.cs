using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tests.Serialization;

namespace Simd.Runtime.Tests.Inference;

/// <summary>
/// Model files damaged behind a valid checksum (so that the damage reaches the architecture entries): loading one
/// for inference either works or gives a typed exception, never anything else. FUZZ_ITERATIONS runs it longer.
/// </summary>
public class InferenceLoadFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 1000;

    [Fact]
    public void DamagedArchitectureLoadsOrGivesATypedException()
    {
        using var model = new ModelBuilder(6).Dense(5).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.1f).Dense(3).Build(seed: 2, maxBatch: 2);
        var container = new ModelContainer();
        model.WriteTo(container);
        var valid = ModelFiles.Bytes(container);
        var rng = new Random(77);
        int loaded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var file = (byte[])valid.Clone();
            int bit = rng.Next(file.Length * 8);
            file[bit / 8] ^= (byte)(1 << (bit % 8));
            ModelFiles.FixChecksum(file);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                using var frozen = InferenceModel.Load(new MemoryStream(file));
                loaded++;
            }
            catch (ModelFormatException) { }
            catch (Exception e)
            {
                Assert.Fail($"bit {bit}: {e.GetType().Name} instead of ModelFormatException: {e}");
            }
            Assert.True(clock.ElapsedMilliseconds < 2000, $"bit {bit}: loading took {clock.ElapsedMilliseconds} ms");
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1 << 20, $"bit {bit}: loading a {file.Length}-byte file allocated {allocated} bytes");
        }
        Assert.InRange(loaded, 1, Iterations - 1);
    }
}
