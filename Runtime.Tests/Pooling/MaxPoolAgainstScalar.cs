using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Pooling;

/// <summary>
/// The max pool at every vector width against its scalar loop on the same input: values with and without arg-max
/// indices, the indices themselves, and the gradient (into a NaN-filled dx, so every input must be written). The
/// caller says how two float arrays must agree.
/// </summary>
internal static class MaxPoolAgainstScalar
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    public static void Check(Pool2DGeometry g, int planes, float[] x, float[] dy, string label, Action<float[], float[], string> same)
    {
        var y0 = new float[dy.Length];
        var i0 = new int[dy.Length];
        var dx0 = new float[x.Length];
        MaxPool2D.Forward(SimdWidth.Scalar, g, planes, x, y0, i0);
        MaxPool2D.Backward(SimdWidth.Scalar, g, planes, dy, i0, dx0);
        foreach (var width in VectorWidths)
        {
            string what = $"{label} {width}";
            var y = new float[dy.Length];
            var indices = new int[dy.Length];
            MaxPool2D.Forward(width, g, planes, x, y, indices);
            same(y0, y, $"y {what}");
            Assert.Equal(i0, indices);
            var y2 = new float[dy.Length];
            MaxPool2D.Forward(width, g, planes, x, y2, []);
            same(y0, y2, $"y without indices {what}");
            var dx = new float[x.Length];
            Array.Fill(dx, float.NaN);
            MaxPool2D.Backward(width, g, planes, dy, indices, dx);
            same(dx0, dx, $"dx {what}");
        }
    }
}
