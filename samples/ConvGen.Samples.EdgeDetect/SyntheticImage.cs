using System;

namespace ConvGen.Samples.EdgeDetect;

/// <summary>
/// A grayscale test picture drawn procedurally, so the sample needs no input file: a left-to-right gradient behind a
/// disc, a rotated square, a block of vertical stripes and a block of diagonal stripes. Values are in [0, 1];
/// each pixel averages 4x4 sub-samples so edges are anti-aliased.
/// </summary>
internal static class SyntheticImage
{
    private const int SubSamples = 4;

    /// <summary>Draws the picture into a new <paramref name="height"/> x <paramref name="width"/> row-major array.</summary>
    public static float[] Draw(int width, int height)
    {
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                for (int sy = 0; sy < SubSamples; sy++)
                {
                    for (int sx = 0; sx < SubSamples; sx++)
                    {
                        // Coordinates in [0, 1) so the layout does not depend on the size.
                        double u = (x + (sx + 0.5) / SubSamples) / width;
                        double v = (y + (sy + 0.5) / SubSamples) / height;
                        sum += Shade(u, v);
                    }
                }

                pixels[y * width + x] = (float)(sum / (SubSamples * SubSamples));
            }
        }

        return pixels;
    }

    // The intensity at (u, v): later shapes are drawn over earlier ones.
    private static double Shade(double u, double v)
    {
        double value = 0.15 + 0.3 * u; // background gradient

        if (Square(u - 0.28) + Square(v - 0.28) <= Square(0.19))
        {
            value = 0.9; // disc
        }

        // Square of half-side 0.16 rotated by 30 degrees about (0.72, 0.29).
        const double Angle = Math.PI / 6;
        double du = u - 0.72, dv = v - 0.29;
        double ru = du * Math.Cos(Angle) + dv * Math.Sin(Angle);
        double rv = -du * Math.Sin(Angle) + dv * Math.Cos(Angle);
        if (Math.Abs(ru) <= 0.16 && Math.Abs(rv) <= 0.16)
        {
            value = 0.02;
        }

        if (u >= 0.06 && u < 0.46 && v >= 0.56 && v < 0.94)
        {
            value = Math.Floor(u * 16) % 2 == 0 ? 0.85 : 0.25; // vertical stripes, period 1/8
        }

        if (u >= 0.54 && u < 0.94 && v >= 0.56 && v < 0.94)
        {
            value = Math.Floor((u + v) * 12) % 2 == 0 ? 0.75 : 0.1; // diagonal stripes
        }

        return value;
    }

    private static double Square(double x) => x * x;
}
