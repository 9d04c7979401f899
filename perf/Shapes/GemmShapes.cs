using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Shapes;

/// <summary>The GEMM problems every benchmark, the report and the OpenBLAS comparison share.</summary>
public static class GemmShapes
{
    public static readonly int[] SquareSizes = [64, 128, 256, 512, 1024, 2048];

    /// <summary>Batch sizes of the MLP shapes: one request, a small batch, a training batch.</summary>
    public static readonly int[] MlpBatches = [1, 32, 256];

    /// <summary>The dense layers (inputs → outputs) of the 784-256-128-10 MLP that carry almost all its work.</summary>
    public static readonly (int In, int Out)[] MlpLayers = [(784, 256), (256, 128)];

    public static IEnumerable<GemmShape> Squares() => SquareSizes.Select(GemmShape.Square);

    /// <summary>
    /// A dense layer's three products with weights W stored in×out: forward Y = X·W (NN), input gradient
    /// dX = dY·Wᵀ (NT) and weight gradient dW = Xᵀ·dY (TN).
    /// </summary>
    public static IEnumerable<GemmShape> Layer(int batch, int inputs, int outputs)
    {
        yield return new GemmShape(MatrixOp.None, MatrixOp.None, batch, outputs, inputs);
        yield return new GemmShape(MatrixOp.None, MatrixOp.Transpose, batch, inputs, outputs);
        yield return new GemmShape(MatrixOp.Transpose, MatrixOp.None, inputs, outputs, batch);
    }

    public static IEnumerable<GemmShape> Mlp() =>
        from batch in MlpBatches
        from layer in MlpLayers
        from shape in Layer(batch, layer.In, layer.Out)
        select shape;

    public static IEnumerable<GemmShape> All() => Squares().Concat(Mlp());
}
