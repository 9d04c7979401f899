using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// The product of two computed values, matrix by matrix: each sample of A [… × M × K] times the same sample of B
/// [… × K × N] gives [… × M × N], the axes before the last two broadcast as numpy's matmul does (equal, or 1 on
/// one side). Attention's scores Q·Kᵀ and its weighted values are such products. Both inputs have the same rank: a
/// rank-1 operand or one of lower rank would, in ONNX, broadcast against the batch itself.
/// Backward: dA = dC·Bᵀ (NT) and dB = Aᵀ·dC (TN) per matrix, summed over the matrices a broadcast operand served.
/// Each matrix is one call of the GEMM kernel; the offsets of every matrix are fixed once the shapes are.
/// </summary>
public sealed class MatMulOp : Op
{
    public const string Name = "matmul";

    private int _m, _k, _n, _aLength, _bLength, _cLength;
    // Per matrix of a sample: where its A and B start, and whether it is the first to read them (backward overwrites there, then adds).
    private int[] _aOffsets = [], _bOffsets = [];
    private bool[] _aFirst = [], _bFirst = [];

    public override string Kind => Name;

    internal static Op Create(OpAttributes a) => new MatMulOp();

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 2);
        TensorShape a = inputs[0], b = inputs[1];
        if (a.Rank < 2 || b.Rank != a.Rank)
            throw new ArgumentException($"matmul takes two samples of matrices of one rank, at least 2 ([… × M × K] and [… × K × N]); got {a} and {b}.");
        int rank = a.Rank;
        _m = a[rank - 2];
        _k = a[rank - 1];
        _n = b[rank - 1];
        if (b[rank - 2] != _k)
            throw new ArgumentException($"matmul of {a} and {b}: the first has {_k} columns, the second {b[rank - 2]} rows; they must agree.");
        var dims = new int[rank];
        int matrices = 1;
        for (int d = 0; d < rank - 2; d++)
        {
            if (a[d] != b[d] && a[d] != 1 && b[d] != 1)
                throw new ArgumentException($"matmul of {a} and {b}: axis {d} has sizes {a[d]} and {b[d]}, which do not broadcast (equal, or one of them 1).");
            dims[d] = Math.Max(a[d], b[d]);
            matrices *= dims[d];
        }
        dims[rank - 2] = _m;
        dims[rank - 1] = _n;
        _aLength = a.Length;
        _bLength = b.Length;
        _cLength = checked(matrices * _m * _n);
        _aOffsets = new int[matrices];
        _bOffsets = new int[matrices];
        _aFirst = new bool[matrices];
        _bFirst = new bool[matrices];
        var index = new int[rank - 2];
        var aSeen = new HashSet<int>();
        var bSeen = new HashSet<int>();
        for (int i = 0; i < matrices; i++)
        {
            int rest = i, aAt = 0, bAt = 0, aStride = _m * _k, bStride = _k * _n;
            for (int d = rank - 3; d >= 0; d--)
            {
                index[d] = rest % dims[d];
                rest /= dims[d];
                if (a[d] != 1) aAt += index[d] * aStride;
                if (b[d] != 1) bAt += index[d] * bStride;
                aStride *= a[d];
                bStride *= b[d];
            }
            _aOffsets[i] = aAt;
            _bOffsets[i] = bAt;
            _aFirst[i] = aSeen.Add(aAt);
            _bFirst[i] = bSeen.Add(bAt);
        }
        return [new TensorShape(dims)];
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> a = context.Input(0), b = context.Input(1);
        Span<float> c = context.Output(0);
        int matrices = _aOffsets.Length, size = _m * _n;
        for (int r = 0; r < context.Rows; r++)
        {
            ReadOnlySpan<float> ar = a.Slice(r * _aLength, _aLength), br = b.Slice(r * _bLength, _bLength);
            Span<float> cr = c.Slice(r * _cLength, _cLength);
            for (int i = 0; i < matrices; i++)
                Gemm.Multiply(MatrixOp.None, MatrixOp.None, _m, _n, _k, 1f, ar[_aOffsets[i]..], _k, br[_bOffsets[i]..], _n,
                    0f, cr.Slice(i * size, size), _n, default, context.Threads);
        }
    }

    internal override void Backward(in OpContext context)
    {
        bool needA = context.NeedsInputGradient(0), needB = context.NeedsInputGradient(1);
        if (!needA && !needB) return;
        ReadOnlySpan<float> a = context.Input(0), b = context.Input(1), dc = context.OutputGradient(0);
        Span<float> da = context.InputGradient(0), db = context.InputGradient(1);
        int matrices = _aOffsets.Length, size = _m * _n, aSize = _m * _k, bSize = _k * _n;
        for (int r = 0; r < context.Rows; r++)
        {
            ReadOnlySpan<float> dcr = dc.Slice(r * _cLength, _cLength);
            for (int i = 0; i < matrices; i++)
            {
                ReadOnlySpan<float> dci = dcr.Slice(i * size, size);
                if (needA)
                {
                    // dA (M × K) = dC (M × N) · Bᵀ
                    Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, _m, _k, _n, 1f, dci, _n, b.Slice(r * _bLength + _bOffsets[i], bSize), _n,
                        _aFirst[i] ? 0f : 1f, da.Slice(r * _aLength + _aOffsets[i], aSize), _k, default, context.Threads);
                }
                if (needB)
                {
                    // dB (K × N) = Aᵀ · dC (M × N)
                    Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, _k, _n, _m, 1f, a.Slice(r * _aLength + _aOffsets[i], aSize), _k, dci, _n,
                        _bFirst[i] ? 0f : 1f, db.Slice(r * _bLength + _bOffsets[i], bSize), _n, default, context.Threads);
                }
            }
        }
    }

    public override string ToString() => "MatMul";
}
