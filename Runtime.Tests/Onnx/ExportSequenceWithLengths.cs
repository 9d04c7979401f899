using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// A model of four inputs and two outputs for the ONNX export: an LSTM over x [5, 3] from the initial states h0 and
/// c0 [4] for each sample's length [1], its final state out and a Dense of it. Exported, the lengths are ONNX's
/// sequence_lens, an Int32 [N] graph input. Only the public API: Runtime.OnnxRuntimeTests compiles this file too.
/// </summary>
internal static class ExportSequenceWithLengths
{
    public const int Steps = 5, Features = 3, Hidden = 4, Classes = 3;

    public static Model Create()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(Steps, Features), "x");
        var h0 = g.Input(new TensorShape(Hidden), "h0");
        var c0 = g.Input(new TensorShape(Hidden), "c0");
        var lengths = g.Input(new TensorShape(1), "lengths");
        var h = g.Lstm(x, Hidden, returnSequence: false, initialHidden: h0, initialCell: c0, lengths: lengths);
        g.Output(g.Dense(h, Classes));
        g.Output(h);
        return g.Build(seed: 11, maxBatch: 8);
    }

    /// <summary>
    /// Inputs for <paramref name="rows"/> samples, lengths from <paramref name="shortest"/> to 5 in turn: x, h0, c0,
    /// lengths. (A sequence of length 0 keeps its initial state here, where ONNX Runtime gives a zero final state.)
    /// </summary>
    public static float[][] Inputs(int rows, int shortest = 0)
    {
        float[] F(int n, double scale, int phase) => [.. Enumerable.Range(0, n).Select(i => (float)(scale * Math.Sin(0.7 * i + phase)))];
        return [F(rows * Steps * Features, 1.5, 0), F(rows * Hidden, 0.5, 1), F(rows * Hidden, 0.8, 2), [.. Enumerable.Range(0, rows).Select(n => (float)(shortest + n % (Steps + 1 - shortest)))]];
    }
}
