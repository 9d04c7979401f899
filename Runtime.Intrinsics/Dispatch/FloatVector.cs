using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The float-vector operations the kernels need, as static members of a struct per width. A kernel written once
/// against <c>TOps</c> is compiled by the JIT separately for each struct, so every call below inlines to the width's
/// own instruction and no loop is written three times. <see cref="VectorWidth"/> picks the struct for a width.
/// </summary>
internal unsafe interface IFloatVector<TVec> where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Load(ref float source, nuint offset);
    static abstract TVec Load(float* source);
    static abstract void Store(TVec value, ref float destination, nuint offset);
    static abstract void Store(TVec value, float* destination);
    static abstract TVec Create(float value);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    /// <summary>a·b + c, fused where the hardware has FMA (results may differ from mul+add in the last bit).</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract TVec Sqrt(TVec a);
    /// <summary>Lane-wise maximum; NaN in either operand gives NaN.</summary>
    static abstract TVec Max(TVec a, TVec b);
    /// <summary>Lanes of <paramref name="whenTrue"/> where <paramref name="mask"/> is all ones, else of <paramref name="whenFalse"/>.</summary>
    static abstract TVec Select(TVec mask, TVec whenTrue, TVec whenFalse);
    /// <summary>A mask with all bits set in lanes <paramref name="first"/> and above.</summary>
    static abstract TVec LanesFrom(int first);
    /// <summary>Sum of the lanes.</summary>
    static abstract float Sum(TVec a);
    /// <summary>
    /// Subnormal and zero lanes (exponent field 0, i.e. |a| &lt; <see cref="Subnormals.MinNormal"/>) as +0, the others
    /// unchanged (NaN stays NaN). Tested on the bits: one constant, where |a| &lt; MinNormal needs two, and the loads of
    /// constants are what limits the 256- and 128-bit optimizer loops.
    /// </summary>
    static abstract TVec FlushSubnormal(TVec a);
    /// <summary>
    /// The operator's overload for this width on the vector at <paramref name="x"/> + <paramref name="offset"/>: lets a
    /// driver written against <c>TOps</c> run it. It takes the address, not a loaded vector, so that the load stays in
    /// the operator's expression, where the JIT folds it into the first instruction that reads it (a loaded vector
    /// passed through this extra call is kept in a register of its own first).
    /// </summary>
    static abstract TVec Apply<TOp>(in TOp op, ref float x, nuint offset) where TOp : struct, IUnaryOperator;
    /// <summary>The binary operator's overload for this width on the vectors at the same offset of a and b.</summary>
    static abstract TVec Apply<TOp>(in TOp op, ref float a, ref float b, nuint offset) where TOp : struct, IBinaryOperator;
    static abstract TVec And(TVec a, TVec b);
    static abstract TVec Or(TVec a, TVec b);
    /// <summary>Lane-wise maximum in the hardware's fastest form: with NaN in a lane, either operand's lane may come back.</summary>
    static abstract TVec MaxNative(TVec a, TVec b);
    /// <summary>Largest lane of a NaN-free vector, by halving down to 128 bits.</summary>
    static abstract float MaxLanes(TVec a);
    /// <summary>All ones in the lanes that are NaN.</summary>
    static abstract TVec NaNMask(TVec a);
    /// <summary>All ones in the lanes where a == b.</summary>
    static abstract TVec EqualsMask(TVec a, TVec b);
    /// <summary>True when any lane of a mask is set.</summary>
    static abstract bool AnySet(TVec mask);
    /// <summary>The sign bit of each lane, lane 0 in bit 0.</summary>
    static abstract ulong MostSignificantBits(TVec a);
}

internal readonly unsafe struct Float128 : IFloatVector<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Create(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LanesFrom(int first) => Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(first)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> a) => Vector128.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> FlushSubnormal(Vector128<float> a) => Vector128.ConditionalSelect(Vector128.Equals(a.AsInt32() & Vector128.Create(Subnormals.ExponentBits), Vector128<int>.Zero), Vector128<int>.Zero, a.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Apply<TOp>(in TOp op, ref float x, nuint offset) where TOp : struct, IUnaryOperator => op.Invoke(Vector128.LoadUnsafe(ref x, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Apply<TOp>(in TOp op, ref float a, ref float b, nuint offset) where TOp : struct, IBinaryOperator => op.Invoke(Vector128.LoadUnsafe(ref a, offset), Vector128.LoadUnsafe(ref b, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxLanes(Vector128<float> a)
    {
        a = Vector128.MaxNative(a, Vector128.Shuffle(a, Vector128.Create(2, 3, 0, 1)));
        a = Vector128.MaxNative(a, Vector128.Shuffle(a, Vector128.Create(1, 0, 3, 2)));
        return a.ToScalar();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> NaNMask(Vector128<float> a) => ~Vector128.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> EqualsMask(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnySet(Vector128<float> mask) => mask != Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong MostSignificantBits(Vector128<float> a) => a.ExtractMostSignificantBits();
}
internal readonly unsafe struct Float256 : IFloatVector<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LanesFrom(int first) => Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(first)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> a) => Vector256.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> FlushSubnormal(Vector256<float> a) => Vector256.ConditionalSelect(Vector256.Equals(a.AsInt32() & Vector256.Create(Subnormals.ExponentBits), Vector256<int>.Zero), Vector256<int>.Zero, a.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Apply<TOp>(in TOp op, ref float x, nuint offset) where TOp : struct, IUnaryOperator => op.Invoke(Vector256.LoadUnsafe(ref x, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Apply<TOp>(in TOp op, ref float a, ref float b, nuint offset) where TOp : struct, IBinaryOperator => op.Invoke(Vector256.LoadUnsafe(ref a, offset), Vector256.LoadUnsafe(ref b, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxLanes(Vector256<float> a) => Float128.MaxLanes(Vector128.MaxNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> NaNMask(Vector256<float> a) => ~Vector256.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> EqualsMask(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnySet(Vector256<float> mask) => mask != Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong MostSignificantBits(Vector256<float> a) => a.ExtractMostSignificantBits();
}
internal readonly unsafe struct Float512 : IFloatVector<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LanesFrom(int first) => Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(first)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> a) => Vector512.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> FlushSubnormal(Vector512<float> a) => Vector512.ConditionalSelect(Vector512.Equals(a.AsInt32() & Vector512.Create(Subnormals.ExponentBits), Vector512<int>.Zero), Vector512<int>.Zero, a.AsInt32()).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Apply<TOp>(in TOp op, ref float x, nuint offset) where TOp : struct, IUnaryOperator => op.Invoke(Vector512.LoadUnsafe(ref x, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Apply<TOp>(in TOp op, ref float a, ref float b, nuint offset) where TOp : struct, IBinaryOperator => op.Invoke(Vector512.LoadUnsafe(ref a, offset), Vector512.LoadUnsafe(ref b, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> And(Vector512<float> a, Vector512<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxLanes(Vector512<float> a) => Float256.MaxLanes(Vector256.MaxNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> NaNMask(Vector512<float> a) => ~Vector512.Equals(a, a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> EqualsMask(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnySet(Vector512<float> mask) => mask != Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong MostSignificantBits(Vector512<float> a) => a.ExtractMostSignificantBits();
}
