using System.Buffers.Binary;
using System.IO.Compression;

namespace Simd.Runtime.Tests.Experiments;

/// <summary>
/// A PNG decoded to RGB, enough for screenshots: 8-bit truecolour with or without alpha (colour types 2 and 6),
/// not interlaced. No image library: zlib from System.IO.Compression and the five PNG row filters.
/// </summary>
internal sealed class PngImage
{
    private readonly byte[] _rgb;

    private PngImage(int width, int height, byte[] rgb) => (Width, Height, _rgb) = (width, height, rgb);

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return (_rgb[i], _rgb[i + 1], _rgb[i + 2]);
    }

    public static PngImage Load(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (!file.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException($"{path} is not a PNG file.");
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (int at = 8; at + 8 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (byte depth, byte colour, byte interlace) = (data[8], data[9], data[12]);
                if (depth != 8 || colour is not (2 or 6) || interlace != 0)
                    throw new InvalidDataException($"{path}: bit depth {depth}, colour type {colour}, interlace {interlace}; only 8-bit RGB(A) without interlace is read.");
                channels = colour == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            at += 12 + length;
        }
        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        return new PngImage(width, height, Unfilter(inflated.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        int stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int start = y * (stride + 1);
            byte filter = raw[start];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int x = raw[start + 1 + i];
                current[i] = (byte)(filter switch
                {
                    0 => x,
                    1 => x + a,
                    2 => x + b,
                    3 => x + (a + b) / 2,
                    4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG row {y} has filter {filter}."),
                });
            }
            for (int px = 0; px < width; px++)
                for (int k = 0; k < 3; k++) rgb[(y * width + px) * 3 + k] = current[px * channels + k];
            (previous, current) = (current, previous);
        }
        return rgb;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
