using System.Buffers;

namespace Simd.Runtime.Onnx;

/// <summary>
/// A model file's bytes for the length of one import, in a buffer the importer's own pool lends: the weights are
/// copied out of it into the model, so repeated loads reuse one buffer instead of allocating (and the garbage
/// collector collecting) a large array each time. Only the importer rents from this pool, so a returned buffer's
/// contents reach no other code. Files above the pool's largest size get an array of their own.
/// </summary>
internal sealed class OnnxFileBuffer : IDisposable
{
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 64 << 20, maxArraysPerBucket: 2);

    private byte[]? _array;

    private OnnxFileBuffer(byte[] array, int length)
    {
        _array = array;
        Memory = array.AsMemory(0, length);
    }

    public ReadOnlyMemory<byte> Memory { get; }

    /// <exception cref="IOException">The file cannot be read, is larger than 2 GiB, or changed length while it was read.</exception>
    public static OnnxFileBuffer Read(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
            throw new IOException($"'{path}' is {length:N0} bytes; an ONNX file read here holds at most {Array.MaxLength:N0} (2 GiB), as protobuf does.");
        byte[] array = Pool.Rent((int)length);
        try
        {
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(handle, array.AsSpan(read, (int)length - read), read);
                if (n == 0) throw new IOException($"'{path}' ended after {read:N0} of its {length:N0} bytes; was it written to while it was read?");
                read += n;
            }
            return new OnnxFileBuffer(array, (int)length);
        }
        catch
        {
            Pool.Return(array);
            throw;
        }
    }

    public void Dispose()
    {
        if (_array is null) return;
        Pool.Return(_array);
        _array = null;
    }
}
