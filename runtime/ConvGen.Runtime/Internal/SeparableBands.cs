using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// The plumbing of generated separable layers, which run a band of output rows at a time through their two
/// specialized kernels: the band's input rows are copied out padded (by the layer's mode), the depthwise kernel turns
/// them into the band's intermediate rows, the pointwise kernel into output rows, which are then put in place. Only
/// a band of the intermediate ever exists. Called by generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SeparableBands
{
    [ThreadStatic]
    private static float[]? t_input;

    [ThreadStatic]
    private static float[]? t_middle;

    [ThreadStatic]
    private static float[]? t_output;

    /// <summary>
    /// Output rows per band: about 64 KB of intermediate (CM·rows·OW floats), so the depthwise kernel's output is still
    /// in L2 when the pointwise kernel reads it.
    /// </summary>
    public static int BandRows(int channels, int outW, int outH) => Math.Clamp(16384 / Math.Max(1, channels * outW), 1, outH);

    /// <summary>This thread's buffer for the band's padded input rows (which = 0), intermediate (1) or output rows (2).</summary>
    public static float[] Buffer(int which, int length)
    {
        ref float[]? slot = ref which == 0 ? ref t_input : ref which == 1 ? ref t_middle : ref t_output;
        return slot is { } b && b.Length >= length ? b : (slot = new float[length]);
    }

    /// <summary>
    /// Copies padded rows <paramref name="firstRow"/>.. (counted in the padded image, so row 0 is the first padding
    /// row) of every channel of <paramref name="image"/> into <paramref name="dst"/> as [C][rows][W + left + right],
    /// filling the padding as <paramref name="mode"/> says.
    /// </summary>
    public static void StageRows(ReadOnlySpan<float> image, TensorShape s, Pads p, PaddingMode mode, int firstRow, int rows, Span<float> dst)
    {
        int width = s.W + p.Left + p.Right;
        if (dst.Length < s.C * rows * width || image.Length != s.C * s.H * s.W)
        {
            throw new ArgumentException($"A band of {rows} padded rows of {s} needs {s.C * rows * width} floats; got {dst.Length}.");
        }

        for (int c = 0; c < s.C; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * s.H * s.W, s.H * s.W);
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = dst.Slice((c * rows + r) * width, width);
                int source = PlaneStaging.SourceIndex(firstRow + r - p.Top, s.H, mode);
                if (source < 0)
                {
                    row.Clear();
                    continue;
                }

                ReadOnlySpan<float> src = plane.Slice(source * s.W, s.W);
                src.CopyTo(row.Slice(p.Left));
                for (int x = 0; x < p.Left; x++)
                {
                    int i = PlaneStaging.SourceIndex(x - p.Left, s.W, mode);
                    row[x] = i < 0 ? 0f : src[i];
                }

                for (int x = p.Left + s.W; x < width; x++)
                {
                    int i = PlaneStaging.SourceIndex(x - p.Left, s.W, mode);
                    row[x] = i < 0 ? 0f : src[i];
                }
            }
        }
    }

    /// <summary>Copies a band's output rows ([channels][bandLength]) into the image's planes at <paramref name="offset"/>.</summary>
    public static void Place(ReadOnlySpan<float> band, Span<float> image, int channels, int bandLength, int plane, int offset)
    {
        for (int c = 0; c < channels; c++)
        {
            band.Slice(c * bandLength, bandLength).CopyTo(image.Slice(c * plane + offset, bandLength));
        }
    }
}
