using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// What the pooling rows need of a vector width beyond <see cref="IFloatVector{TVec}"/>: int lanes (the arg-max
/// positions, carried in the float vector's bits), the max-pool's choice of a tap, and the shuffles that gather
/// every other lane of two vectors (a stride-2 window's taps) or interleave two vectors back (the gradients of
/// windows two wide), and permutes by index vectors (the small planes of <see cref="MaxPoolRowPairs"/>).
/// </summary>
internal unsafe interface IPoolVector<TVec> where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Load(ref float source, nuint offset);
    static abstract void Store(TVec value, ref float destination, nuint offset);
    static abstract TVec LoadInts(ref int source, nuint offset);
    static abstract void StoreInts(TVec value, ref int destination, nuint offset);
    static abstract TVec Create(float value);
    /// <summary>Every lane's bits the int <paramref name="value"/>.</summary>
    static abstract TVec CreateInt(int value);
    /// <summary>Lane i holds the int i·<paramref name="step"/>.</summary>
    static abstract TVec Ramp(int step);
    static abstract TVec AddInts(TVec a, TVec b);
    /// <summary>All ones where the int lanes are equal.</summary>
    static abstract TVec EqualInts(TVec a, TVec b);
    /// <summary>True when every lane of a mask is set.</summary>
    static abstract bool AllSet(TVec mask);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    static abstract TVec And(TVec a, TVec b);
    static abstract TVec Or(TVec a, TVec b);
    static abstract TVec Select(TVec mask, TVec whenTrue, TVec whenFalse);
    /// <summary>
    /// All ones where the max-pool takes tap <paramref name="v"/> over <paramref name="best"/>: v is larger, or v is
    /// NaN and best is not (the scalar loop's rule, so the first NaN of a window wins and then stays).
    /// </summary>
    static abstract TVec Takes(TVec v, TVec best);
    /// <summary>Lanes 0, 2, 4, … of a followed by those of b: elements 0, 2, 4, … of the 2·Count at a.</summary>
    static abstract TVec Even(TVec a, TVec b);
    /// <summary>Lanes 1, 3, 5, … of a followed by those of b.</summary>
    static abstract TVec Odd(TVec a, TVec b);
    /// <summary>
    /// Lane i from <paramref name="source"/>[i·stride] (a tap of windows at a stride over 2); the source must be
    /// pinned. A hardware gather where there is one, else the lanes one by one.
    /// </summary>
    static abstract TVec Gather(float* source, int stride);
    /// <summary>a0, b0, a1, b1, … from the first halves of a and b.</summary>
    static abstract TVec ZipLow(TVec a, TVec b);
    /// <summary>The same from the second halves.</summary>
    static abstract TVec ZipHigh(TVec a, TVec b);
    /// <summary>All ones where the int lane is negative (its sign bit spread).</summary>
    static abstract TVec NegativeInts(TVec a);
    static abstract TVec Xor(TVec a, TVec b);
    /// <summary>a and not b.</summary>
    static abstract TVec AndNot(TVec a, TVec b);
    /// <summary>The smaller of the int lanes read as unsigned.</summary>
    static abstract TVec MinUnsignedInts(TVec a, TVec b);
    /// <summary>
    /// True when the CPU permutes lanes by a vector of indices at this width in an instruction or two; else
    /// <see cref="Permute"/> and <see cref="Permute2"/> run in software and no kernel should choose them.
    /// </summary>
    static abstract bool Permutes { get; }
    /// <summary>Lane i = a[indices[i]], the indices in [0, Count) as int lanes.</summary>
    static abstract TVec Permute(TVec a, TVec indices);
    /// <summary>Lane i = (a followed by b)[indices[i]], the indices in [0, 2·Count) as int lanes.</summary>
    static abstract TVec Permute2(TVec a, TVec indices, TVec b);
}

internal readonly unsafe struct Pool128 : IPoolVector<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadInts(ref int source, nuint offset) => Vector128.LoadUnsafe(ref source, offset).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInts(Vector128<float> value, ref int destination, nuint offset) => value.AsInt32().StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Create(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> CreateInt(int value) => Vector128.Create(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Ramp(int step) => (Vector128<int>.Indices * step).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AddInts(Vector128<float> a, Vector128<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> EqualInts(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector128<float> mask) => mask.AsInt32() == Vector128<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Takes(Vector128<float> v, Vector128<float> best) => Vector128.AndNot(Vector128.Equals(best, best), Vector128.LessThanOrEqual(v, best));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Even(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.Shuffle(a, b, 0b10_00_10_00);
        var indices = Vector128.Create(0, 2, 0, 2);
        return Vector128.ConditionalSelect(Vector128.Create(-1, -1, 0, 0).AsSingle(), Vector128.Shuffle(a, indices), Vector128.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Odd(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.Shuffle(a, b, 0b11_01_11_01);
        var indices = Vector128.Create(1, 3, 1, 3);
        return Vector128.ConditionalSelect(Vector128.Create(-1, -1, 0, 0).AsSingle(), Vector128.Shuffle(a, indices), Vector128.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gather(float* source, int stride)
    {
        if (Avx2.IsSupported) return Avx2.GatherVector128(source, Vector128<int>.Indices * stride, 4);
        return Vector128.Create(source[0], source[1 * (nint)stride], source[2 * (nint)stride], source[3 * (nint)stride]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZipLow(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.UnpackLow(a, b);
        var indices = Vector128.Create(0, 0, 1, 1);
        return Vector128.ConditionalSelect(Vector128.Create(-1, 0, -1, 0).AsSingle(), Vector128.Shuffle(a, indices), Vector128.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZipHigh(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.UnpackHigh(a, b);
        var indices = Vector128.Create(2, 2, 3, 3);
        return Vector128.ConditionalSelect(Vector128.Create(-1, 0, -1, 0).AsSingle(), Vector128.Shuffle(a, indices), Vector128.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> NegativeInts(Vector128<float> a) => Vector128.ShiftRightArithmetic(a.AsInt32(), 31).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Xor(Vector128<float> a, Vector128<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AndNot(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MinUnsignedInts(Vector128<float> a, Vector128<float> b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();

    public static bool Permutes => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Permute(Vector128<float> a, Vector128<float> indices) =>
        Avx.IsSupported ? Avx.PermuteVar(a, indices.AsInt32()) : Vector128.Shuffle(a, indices.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Permute2(Vector128<float> a, Vector128<float> indices, Vector128<float> b)
    {
        var i = indices.AsInt32();
        if (Avx512F.VL.IsSupported) return Avx512F.VL.PermuteVar4x32x2(a, i, b);
        // vpermilps reads the low two bits of each index: one permute per source, the high bit choosing.
        if (Avx.IsSupported) return Vector128.ConditionalSelect(Vector128.GreaterThan(i, Vector128.Create(3)).AsSingle(), Avx.PermuteVar(b, i), Avx.PermuteVar(a, i));
        return Vector128.Shuffle(a, i) | Vector128.Shuffle(b, i - Vector128.Create(4)); // lanes out of range are 0
    }
}

internal readonly unsafe struct Pool256 : IPoolVector<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadInts(ref int source, nuint offset) => Vector256.LoadUnsafe(ref source, offset).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInts(Vector256<float> value, ref int destination, nuint offset) => value.AsInt32().StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> CreateInt(int value) => Vector256.Create(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Ramp(int step) => (Vector256<int>.Indices * step).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AddInts(Vector256<float> a, Vector256<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> EqualInts(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector256<float> mask) => mask.AsInt32() == Vector256<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Takes(Vector256<float> v, Vector256<float> best) => Vector256.AndNot(Vector256.Equals(best, best), Vector256.LessThanOrEqual(v, best));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Even(Vector256<float> a, Vector256<float> b)
    {
        // Within each 128-bit half a0 a2 b0 b2 | a4 a6 b4 b6, then the middle quarters swapped.
        if (Avx2.IsSupported) return Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
        var indices = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
        return Vector256.ConditionalSelect(Vector256.Create(-1, -1, -1, -1, 0, 0, 0, 0).AsSingle(), Vector256.Shuffle(a, indices), Vector256.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odd(Vector256<float> a, Vector256<float> b)
    {
        if (Avx2.IsSupported) return Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
        var indices = Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7);
        return Vector256.ConditionalSelect(Vector256.Create(-1, -1, -1, -1, 0, 0, 0, 0).AsSingle(), Vector256.Shuffle(a, indices), Vector256.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gather(float* source, int stride)
    {
        if (Avx2.IsSupported) return Avx2.GatherVector256(source, Vector256<int>.Indices * stride, 4);
        return Vector256.Create(Pool128.Gather(source, stride), Pool128.Gather(source + 4 * (nint)stride, stride));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZipLow(Vector256<float> a, Vector256<float> b)
    {
        if (Avx.IsSupported) return Avx.Permute2x128(Avx.UnpackLow(a, b), Avx.UnpackHigh(a, b), 0x20);
        var indices = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        return Vector256.ConditionalSelect(Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle(), Vector256.Shuffle(a, indices), Vector256.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZipHigh(Vector256<float> a, Vector256<float> b)
    {
        if (Avx.IsSupported) return Avx.Permute2x128(Avx.UnpackLow(a, b), Avx.UnpackHigh(a, b), 0x31);
        var indices = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
        return Vector256.ConditionalSelect(Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle(), Vector256.Shuffle(a, indices), Vector256.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> NegativeInts(Vector256<float> a) => Vector256.ShiftRightArithmetic(a.AsInt32(), 31).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Xor(Vector256<float> a, Vector256<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AndNot(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MinUnsignedInts(Vector256<float> a, Vector256<float> b) => Vector256.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();

    public static bool Permutes => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Permute(Vector256<float> a, Vector256<float> indices) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(a, indices.AsInt32()) : Vector256.Shuffle(a, indices.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Permute2(Vector256<float> a, Vector256<float> indices, Vector256<float> b)
    {
        var i = indices.AsInt32();
        if (Avx512F.VL.IsSupported) return Avx512F.VL.PermuteVar8x32x2(a, i, b);
        // vpermps reads the low three bits of each index: one permute per source, the high bit choosing.
        if (Avx2.IsSupported) return Vector256.ConditionalSelect(Vector256.GreaterThan(i, Vector256.Create(7)).AsSingle(), Avx2.PermuteVar8x32(b, i), Avx2.PermuteVar8x32(a, i));
        return Vector256.Shuffle(a, i) | Vector256.Shuffle(b, i - Vector256.Create(8));
    }
}

internal readonly unsafe struct Pool512 : IPoolVector<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadInts(ref int source, nuint offset) => Vector512.LoadUnsafe(ref source, offset).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInts(Vector512<float> value, ref int destination, nuint offset) => value.AsInt32().StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> CreateInt(int value) => Vector512.Create(value).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Ramp(int step) => (Vector512<int>.Indices * step).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AddInts(Vector512<float> a, Vector512<float> b) => (a.AsInt32() + b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> EqualInts(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a.AsInt32(), b.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Vector512<float> mask) => mask.AsInt32() == Vector512<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    // A blend by lane (every mask here is whole lanes): the JIT then keeps a comparison's mask in a mask register,
    // where a bitwise select had it widened to a vector first.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) => Avx512F.IsSupported ? Avx512F.BlendVariable(whenFalse, whenTrue, mask) : Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Takes(Vector512<float> v, Vector512<float> best) => Vector512.AndNot(Vector512.Equals(best, best), Vector512.LessThanOrEqual(v, best));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Even(Vector512<float> a, Vector512<float> b)
    {
        // Indices 16 and up pick from b: one two-source permute.
        if (Avx512F.IsSupported) return Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b);
        var indices = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
        return Vector512.ConditionalSelect(Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0).AsSingle(), Vector512.Shuffle(a, indices), Vector512.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Odd(Vector512<float> a, Vector512<float> b)
    {
        if (Avx512F.IsSupported) return Avx512F.PermuteVar16x32x2(a, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b);
        var indices = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
        return Vector512.ConditionalSelect(Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0).AsSingle(), Vector512.Shuffle(a, indices), Vector512.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gather(float* source, int stride) =>
        // The API has no 512-bit gather: two 256-bit ones.
        Vector512.Create(Pool256.Gather(source, stride), Pool256.Gather(source + 8 * (nint)stride, stride));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZipLow(Vector512<float> a, Vector512<float> b)
    {
        if (Avx512F.IsSupported) return Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), b);
        var indices = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        return Vector512.ConditionalSelect(Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle(), Vector512.Shuffle(a, indices), Vector512.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZipHigh(Vector512<float> a, Vector512<float> b)
    {
        if (Avx512F.IsSupported) return Avx512F.PermuteVar16x32x2(a, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), b);
        var indices = Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
        return Vector512.ConditionalSelect(Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle(), Vector512.Shuffle(a, indices), Vector512.Shuffle(b, indices));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> NegativeInts(Vector512<float> a) => Vector512.ShiftRightArithmetic(a.AsInt32(), 31).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Xor(Vector512<float> a, Vector512<float> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AndNot(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MinUnsignedInts(Vector512<float> a, Vector512<float> b) => Vector512.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();

    public static bool Permutes => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Permute(Vector512<float> a, Vector512<float> indices) =>
        Avx512F.IsSupported ? Avx512F.PermuteVar16x32(a, indices.AsInt32()) : Vector512.Shuffle(a, indices.AsInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Permute2(Vector512<float> a, Vector512<float> indices, Vector512<float> b) =>
        Avx512F.IsSupported ? Avx512F.PermuteVar16x32x2(a, indices.AsInt32(), b) : Vector512.Shuffle(a, indices.AsInt32()) | Vector512.Shuffle(b, indices.AsInt32() - Vector512.Create(16));
}
