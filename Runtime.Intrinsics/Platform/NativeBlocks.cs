using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Where every 64-byte aligned native block of the runtime comes from and goes back to (<see cref="NativeFloats"/>,
/// the Runtime's AlignedBuffer). Freed blocks of at least <see cref="MinimumKept"/> bytes are kept, up to
/// <see cref="MaximumKept"/> bytes in all, and handed out again to a request of exactly their size: a model loaded,
/// frozen or rebuilt again asks for the same sizes, and the C allocator would otherwise unmap such blocks and map fresh
/// ones, whose first touch costs a page fault per 4 KiB (on a warm ONNX load, more than the load's own work).
/// The oldest kept block is released first when the limit is reached. Thread-safe (finalizers free here too).
/// </summary>
internal static unsafe class NativeBlocks
{
    /// <summary>Smaller blocks go straight back: the C allocator keeps those in its own free lists.</summary>
    public const nuint MinimumKept = 64 << 10;

    /// <summary>The most memory kept for reuse, in bytes.</summary>
    public const nuint MaximumKept = 64 << 20;

    public const nuint Alignment = 64;

    private static readonly List<(nint Pointer, nuint Bytes)> Kept = [];
    private static nuint s_keptBytes;

    /// <summary>Bytes kept for reuse now (tests).</summary>
    internal static nuint KeptBytes
    {
        get
        {
            lock (Kept) return s_keptBytes;
        }
    }

    /// <summary>A block of <paramref name="bytes"/> (at least one), aligned to <see cref="Alignment"/>; its contents are undefined.</summary>
    public static void* Allocate(nuint bytes)
    {
        bytes = Math.Max(bytes, 1);
        if (bytes >= MinimumKept)
        {
            lock (Kept)
            {
                for (int i = Kept.Count - 1; i >= 0; i--)
                {
                    if (Kept[i].Bytes != bytes) continue;
                    nint pointer = Kept[i].Pointer;
                    Kept.RemoveAt(i);
                    s_keptBytes -= bytes;
                    return (void*)pointer;
                }
            }
        }
        return NativeMemory.AlignedAlloc(bytes, Alignment);
    }

    /// <summary>Gives back a block from <see cref="Allocate"/> of the same <paramref name="bytes"/>.</summary>
    public static void Free(void* pointer, nuint bytes)
    {
        if (pointer == null) return;
        bytes = Math.Max(bytes, 1);
        if (bytes >= MinimumKept && bytes <= MaximumKept)
        {
            lock (Kept)
            {
                while (s_keptBytes + bytes > MaximumKept)
                {
                    NativeMemory.AlignedFree((void*)Kept[0].Pointer);
                    s_keptBytes -= Kept[0].Bytes;
                    Kept.RemoveAt(0);
                }
                Kept.Add(((nint)pointer, bytes));
                s_keptBytes += bytes;
                return;
            }
        }
        NativeMemory.AlignedFree(pointer);
    }
}
