using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Per-thread packing buffers, 64-byte aligned (a cache line, and a full Vector512), allocated on first need and
/// kept for the thread's lifetime, so GEMM calls after warm-up allocate nothing. Freed when the thread ends.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    const nuint Alignment = 64;

    [ThreadStatic] static GemmWorkspace? s_current;

    public static GemmWorkspace Current => s_current ??= new GemmWorkspace();

    Buffer _a, _b, _tile, _scratch;

    /// <summary>Packed A block (MC×KC).</summary>
    public float* A(long floats) => _a.Get(floats);

    /// <summary>Packed B block (KC×NC), or the on-the-fly packed B of the small-M path.</summary>
    public float* B(long floats) => _b.Get(floats);

    /// <summary>An edge tile of C (MR×NR), or a row group's edge of the small-M path.</summary>
    public float* Tile(long floats) => _tile.Get(floats);

    /// <summary>An edge of the bias row padded to NR, or the small-M path's zero-padded edge columns of B.</summary>
    public float* Scratch(long floats) => _scratch.Get(floats);

    ~GemmWorkspace()
    {
        _a.Free();
        _b.Free();
        _tile.Free();
        _scratch.Free();
    }

    struct Buffer
    {
        float* _pointer;
        long _capacity;

        public float* Get(long floats)
        {
            if (floats > _capacity)
            {
                Free();
                // Round up so slowly growing requests do not reallocate every call.
                long capacity = Math.Max(floats, 1024) + 1023 & ~1023L;
                _pointer = (float*)NativeMemory.AlignedAlloc((nuint)(capacity * sizeof(float)), Alignment);
                _capacity = capacity;
            }
            return _pointer;
        }

        public void Free()
        {
            if (_pointer != null) NativeMemory.AlignedFree(_pointer);
            _pointer = null;
            _capacity = 0;
        }
    }
}
