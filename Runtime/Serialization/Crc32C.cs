using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Serialization;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of model files. The CPU's CRC32C
/// instruction runs it where there is one (SSE4.2, ARMv8 CRC); elsewhere slicing-by-8 tables do.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;

    // Table[k][b]: the CRC state after byte b followed by k zero bytes; slicing-by-8 folds 8 bytes per step.
    private static readonly uint[] Table = BuildTable();

    /// <summary>Continues a checksum: <paramref name="crc"/> is the CRC of the bytes before (0 for none).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) =>
        HardwareSupported ? AppendHardware(crc, data) : AppendTable(crc, data);

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    internal static bool HardwareSupported => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    internal static uint AppendTable(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        ReadOnlySpan<uint> t = Table;
        while (data.Length >= 8)
        {
            uint lo = state ^ MemoryMarshal.Read<uint>(data);
            uint hi = MemoryMarshal.Read<uint>(data[4..]);
            if (!BitConverter.IsLittleEndian)
            {
                lo = state ^ System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(MemoryMarshal.Read<uint>(data));
                hi = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(hi);
            }
            state = t[7 * 256 + (int)(lo & 0xFF)] ^ t[6 * 256 + (int)((lo >> 8) & 0xFF)]
                  ^ t[5 * 256 + (int)((lo >> 16) & 0xFF)] ^ t[4 * 256 + (int)(lo >> 24)]
                  ^ t[3 * 256 + (int)(hi & 0xFF)] ^ t[2 * 256 + (int)((hi >> 8) & 0xFF)]
                  ^ t[1 * 256 + (int)((hi >> 16) & 0xFF)] ^ t[(int)(hi >> 24)];
            data = data[8..];
        }
        foreach (byte b in data) state = t[(int)((state ^ b) & 0xFF)] ^ (state >> 8);
        return ~state;
    }

    internal static uint AppendHardware(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong state = ~crc;
            while (data.Length >= 8)
            {
                state = Sse42.X64.Crc32(state, MemoryMarshal.Read<ulong>(data));
                data = data[8..];
            }
            uint s = (uint)state;
            foreach (byte b in data) s = Sse42.Crc32(s, b);
            return ~s;
        }
        if (Crc32.Arm64.IsSupported)
        {
            uint s = ~crc;
            while (data.Length >= 8)
            {
                s = Crc32.Arm64.ComputeCrc32C(s, MemoryMarshal.Read<ulong>(data));
                data = data[8..];
            }
            foreach (byte b in data) s = Crc32.ComputeCrc32C(s, b);
            return ~s;
        }
        return AppendTable(crc, data);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            uint c = b;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            table[b] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int b = 0; b < 256; b++)
            {
                uint prev = table[(k - 1) * 256 + b];
                table[k * 256 + b] = table[(int)(prev & 0xFF)] ^ (prev >> 8);
            }
        return table;
    }
}
