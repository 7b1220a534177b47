using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Samples;

/// <summary>
/// Writes 8-bit grayscale and RGB PNG files: signature, IHDR, one zlib IDAT (filter type 0 on every row), IEND.
/// Shared by the samples (linked into each project from samples/Shared); only in-box APIs, so it stays AOT-small.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Writes <paramref name="pixels"/> (row-major, one byte per pixel) as a grayscale PNG.</summary>
    public static void WriteGray8(string path, ReadOnlySpan<byte> pixels, int width, int height)
        => Write(path, pixels, width, height, bytesPerPixel: 1, colourType: 0);

    /// <summary>
    /// Writes <paramref name="pixels"/> (row-major, three bytes per pixel in the order red, green, blue) as an RGB PNG.
    /// </summary>
    public static void WriteRgb8(string path, ReadOnlySpan<byte> pixels, int width, int height)
        => Write(path, pixels, width, height, bytesPerPixel: 3, colourType: 2);

    private static void Write(string path, ReadOnlySpan<byte> pixels, int width, int height, int bytesPerPixel, byte colourType)
    {
        if (width <= 0 || height <= 0 || pixels.Length != (long)width * height * bytesPerPixel)
        {
            throw new ArgumentException($"{pixels.Length} bytes do not make a {width}x{height} image of {bytesPerPixel} byte(s) per pixel.", nameof(pixels));
        }

        using FileStream file = File.Create(path);
        file.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bit depth
        header[9] = colourType; // 0: grayscale, 2: RGB
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive (each row says its filter type)
        header[12] = 0; // no interlace
        WriteChunk(file, "IHDR"u8, header);

        using (MemoryStream compressed = new())
        {
            using (ZLibStream zlib = new(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter type 0: the row as is
                    zlib.Write(pixels.Slice(y * width * bytesPerPixel, width * bytesPerPixel));
                }
            }

            WriteChunk(file, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }

        WriteChunk(file, "IEND"u8, ReadOnlySpan<byte>.Empty);
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        uint crc = Update(0xFFFFFFFFu, type);
        crc = Update(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    // CRC-32 as PNG (and zip) define it: reflected polynomial 0xEDB88320.
    private static uint[] BuildCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
