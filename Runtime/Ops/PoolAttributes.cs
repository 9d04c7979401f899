using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>Settings the pooling ops share.</summary>
internal static class PoolAttributes
{
    /// <summary>An on/off setting stored as 0 or 1.</summary>
    public static bool Flag(OpAttributes a, string name)
    {
        long value = a.GetInt64(name, 0);
        return value is 0 or 1 ? value == 1 : throw a.Bad(name, $"is {value}, expected 0 (off) or 1 (on)");
    }

    /// <summary>The one input of a windowed pool: [channels, height, width] images, and the window over them.</summary>
    public static (int Channels, Pool2DGeometry Geometry) Images(Op op, ReadOnlySpan<TensorShape> inputs, Window2D window, bool ceilMode)
    {
        OpChecks.Count(op, inputs, 1);
        OpChecks.Rank(op, inputs[0], 3, "images [channels, height, width]");
        return (inputs[0][0], window.Pooling(inputs[0][1], inputs[0][2], ceilMode));
    }

    /// <summary>The one input of a 3-D pool: [channels, depth, height, width] volumes, and the window over them.</summary>
    public static (int Channels, Pool3DGeometry Geometry) Volumes(Op op, ReadOnlySpan<TensorShape> inputs, Window3D window, bool ceilMode)
    {
        OpChecks.Count(op, inputs, 1);
        OpChecks.Rank(op, inputs[0], 4, "volumes [channels, depth, height, width]");
        return (inputs[0][0], window.Pooling(inputs[0][1], inputs[0][2], inputs[0][3], ceilMode));
    }
}
