using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Copy, clear and add of the short runs that im2col and col2im move (a row of a 10- or 28-wide output plane): inline
/// vector moves, where a call to Memmove or Clear per run cost more than the run (LeNet's second layer moves 1,500
/// runs of 10 floats per sample). Copies and clears end with one overlapping vector instead of a scalar tail; adds,
/// which must not touch a lane twice, step down through narrower vectors. Every lane gets the same single operation
/// whatever the vector, so the results do not depend on the width; the widest vector the hardware runs is used.
/// </summary>
internal static unsafe class Conv2DRuns
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            int i = 0;
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
            if (i < n) Vector512.Store(Vector512.Load(src + n - 16), dst + n - 16);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            int i = 0;
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
            if (i < n) Vector256.Store(Vector256.Load(src + n - 8), dst + n - 8);
        }
        else if (n >= 4)
        {
            int i = 0;
            for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
            if (i < n) Vector128.Store(Vector128.Load(src + n - 4), dst + n - 4);
        }
        else
            for (int i = 0; i < n; i++) dst[i] = src[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            int i = 0;
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512<float>.Zero, dst + i);
            if (i < n) Vector512.Store(Vector512<float>.Zero, dst + n - 16);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            int i = 0;
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256<float>.Zero, dst + i);
            if (i < n) Vector256.Store(Vector256<float>.Zero, dst + n - 8);
        }
        else if (n >= 4)
        {
            int i = 0;
            for (; i <= n - 4; i += 4) Vector128.Store(Vector128<float>.Zero, dst + i);
            if (i < n) Vector128.Store(Vector128<float>.Zero, dst + n - 4);
        }
        else
            for (int i = 0; i < n; i++) dst[i] = 0;
    }

    /// <summary>dst[i] += src[i] for i &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(dst + i) + Vector512.Load(src + i), dst + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(dst + i) + Vector128.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>dst[i] = src[i] + value for i &lt; n, src and dst apart (an overlapping last vector recomputes the same sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScalar(float* src, float value, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var v = Vector512.Create(value);
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(src + i) + v, dst + i);
            if (i < n) Vector512.Store(Vector512.Load(src + n - 16) + v, dst + n - 16);
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(src + i) + v, dst + i);
        }
        for (; i < n; i++) dst[i] = src[i] + value;
    }
}
