using System.Diagnostics;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The fuzzer's properties for one input: reading it either gives a model or an <see cref="OnnxFormatException"/>
/// (or, for tensor data kept in an external file, an <see cref="OnnxImportException"/>), allocating no more than <see cref="AllowedBytes"/>; importing what was read either gives a model that freezes and
/// predicts, or an <see cref="OnnxFormatException"/> / <see cref="OnnxImportException"/>; nothing else escapes, and
/// no case takes longer than <see cref="SlowCase"/> (a hang shows as a slow case, or as a test that never ends).
/// </summary>
internal static class OnnxFuzzCase
{
    public static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 600;

    public static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out int s) ? s : 20261201;

    // Generous: an inflated size can make a legitimate model whose one prediction takes a second or two, and a loaded
    // 2-core runner (the suite's classes run in parallel) stretches that several times; a hang still shows.
    private static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(30);

    /// <summary>What reading may allocate: a fixed allowance plus a small multiple of the bytes (decoded elements,
    /// names as UTF-16, the objects of each message). A model of real weights stays near its size; 32 times is
    /// what a file of nothing but tiny messages (dims of two bytes, attributes or nodes of a few) comes close to.</summary>
    public static long AllowedBytes(int length) => 64 * 1024 + 32L * length;

    public enum Outcome { Unreadable, NotImported, Imported }

    public static Outcome Check(byte[] bytes, string what)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            return Run(bytes, what);
        }
        finally
        {
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            Assert.True(took < SlowCase, $"{what}: took {took.TotalSeconds:0.0} s");
        }
    }

    private static Outcome Run(byte[] bytes, string what)
    {
        OnnxModel model;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            model = OnnxModel.Read(bytes);
        }
        catch (OnnxFormatException e)
        {
            Assert.DoesNotContain("offset -1", e.Message, StringComparison.Ordinal);
            return Outcome.Unreadable;
        }
        catch (OnnxImportException)
        {
            // What the reader reads but will not load: tensor data in an external file.
            return Outcome.Unreadable;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: reading threw {e.GetType().Name} instead of OnnxFormatException: {e}");
            throw;
        }
        finally
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= AllowedBytes(bytes.Length), $"{what}: reading allocated {allocated} bytes for a {bytes.Length}-byte file");
        }

        OnnxImportResult result;
        try
        {
            result = OnnxImporter.Import(model, maxBatch: 1);
        }
        catch (OnnxFormatException)
        {
            return Outcome.NotImported;
        }
        catch (OnnxImportException)
        {
            return Outcome.NotImported;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: importing threw {e.GetType().Name} instead of OnnxFormatException or OnnxImportException: {e}");
            throw;
        }
        using Model imported = result.Model;
        using InferenceModel frozen = InferenceModel.Freeze(imported, new InferenceOptions { MaxBatch = 1 });
        // One zero sample through every input and output the import made.
        ReadOnlyMemory<float>[] inputs = [.. frozen.Graph.Inputs.Select(v => (ReadOnlyMemory<float>)new float[v.SampleLength])];
        Memory<float>[] outputs = [.. frozen.Graph.Outputs.Select(v => (Memory<float>)new float[v.SampleLength])];
        frozen.Predict(inputs, 1, outputs);
        return Outcome.Imported;
    }
}
