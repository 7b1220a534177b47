using System;

namespace ConvGen.Samples.EdgeDetect;

/// <summary>Turns float planes into 8-bit grayscale pixels for the PNG files.</summary>
internal static class FeatureMaps
{
    /// <summary>Maps [0, 1] to 0..255 (the input image).</summary>
    public static byte[] FromUnit(ReadOnlySpan<float> plane)
    {
        byte[] pixels = new byte[plane.Length];
        for (int i = 0; i < plane.Length; i++)
        {
            pixels[i] = ToByte(plane[i]);
        }

        return pixels;
    }

    /// <summary>Maps |x| to 0..255, the largest |x| of the plane becoming 255.</summary>
    public static byte[] AbsoluteNormalized(ReadOnlySpan<float> plane)
    {
        float max = 0;
        foreach (float x in plane)
        {
            max = Math.Max(max, Math.Abs(x));
        }

        float scale = max > 0 ? 1 / max : 0;
        byte[] pixels = new byte[plane.Length];
        for (int i = 0; i < plane.Length; i++)
        {
            pixels[i] = ToByte(Math.Abs(plane[i]) * scale);
        }

        return pixels;
    }

    /// <summary>The gradient magnitude sqrt(gx² + gy²) of two planes, normalized like <see cref="AbsoluteNormalized"/>.</summary>
    public static byte[] Magnitude(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy)
    {
        float[] magnitude = new float[gx.Length];
        for (int i = 0; i < gx.Length; i++)
        {
            magnitude[i] = MathF.Sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
        }

        return AbsoluteNormalized(magnitude);
    }

    private static byte ToByte(float unit) => (byte)Math.Clamp(MathF.Round(unit * 255f), 0f, 255f);
}
