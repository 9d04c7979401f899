using Simd.Models.Cli;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Training;

/// <summary>
/// The graph runtime trains exactly as the layer chain it replaced. The fixtures were written by the chain's code
/// (model file version 1) with <c>train --layers 16 --epochs 5 --save</c> on the shipped digits, once per width
/// (each width sums in its own order, so each has its own weights; 128 bits without FMA rounds twice per step); the same command today must end with the
/// same parameters and running statistics, bit for bit, on one thread and on two.
/// </summary>
public class LayerChainParityTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DigitsTrainToTheChainsWeightsBitForBit(int threads)
    {
        string name = Isa.Width switch
        {
            SimdWidth.V512 => "v512",
            SimdWidth.V256 => "v256",
            // Without FMA (SSE4.2 only) the 128-bit kernels multiply and add in two roundings: other weights.
            SimdWidth.V128 => System.Runtime.Intrinsics.X86.Fma.IsSupported || !System.Runtime.Intrinsics.X86.Sse.IsSupported ? "v128" : "v128-sse",
            _ => "scalar",
        };
        string fixture = Path.Combine(AppContext.BaseDirectory, "Training", "Fixtures", $"chain-digits-{name}.model");
        using var dir = new TempDirectory("simd-chain-parity-");
        {
            string saved = dir.PathOf("graph.model");
            var output = new StringWriter();
            var error = new StringWriter();
            int code = ModelsApp.Run(["train", "--layers", "16", "--epochs", "5", "--threads", threads.ToString(), "--save", saved], output, error);
            Assert.True(code == 0, error.ToString());
            using var chain = Model.Load(fixture);
            using var graph = Model.Load(saved);
            Assert.True(chain.Parameters.Parameters.SequenceEqual(graph.Parameters.Parameters), $"parameters differ from the chain's at {name}");
            Assert.True(chain.Parameters.Buffers.SequenceEqual(graph.Parameters.Buffers), $"running statistics differ from the chain's at {name}");
        }
    }
}
