using System;

namespace ConvGen.Samples.Training;

/// <summary>
/// PNG pictures of what the network learned and sees: the first layer's filters, one image's feature maps, input
/// images. Tiles are scaled up by pixel repetition (nearest neighbour) and laid out in a grid with a 1-pixel black
/// separator between them and around the edge. Written with <see cref="PngWriter"/> (in-box APIs only).
/// </summary>
internal static class Pictures
{
    /// <summary>
    /// Draws convolution filters (PyTorch OIHW order: <paramref name="outChannels"/> x <paramref name="inChannels"/> x
    /// <paramref name="kh"/> x <paramref name="kw"/>) as a grid, each filter scaled up <paramref name="scale"/> times
    /// and normalised on its own and symmetrically: 0 is mid grey, the filter's largest |weight| black or white.
    /// With 1 input channel the picture is grayscale with one tile per filter; with 3 input channels it is RGB
    /// (input channels 0, 1, 2 as red, green, blue; a zero weight in all three is grey), one tile per filter;
    /// otherwise grayscale with a row per filter and a column per input channel.
    /// </summary>
    /// <param name="columns">Tiles per row for 1 or 3 input channels; 0 picks a near-square grid.</param>
    public static void FilterGrid(ReadOnlySpan<float> weights, int outChannels, int inChannels, int kh, int kw, string path, int scale = 8, int columns = 0)
    {
        CheckPositive(outChannels, inChannels, kh, kw, scale);
        int filterSize = inChannels * kh * kw;
        if (weights.Length < (long)outChannels * filterSize)
        {
            throw new ArgumentException($"{weights.Length} weights are fewer than {outChannels}x{inChannels}x{kh}x{kw}.", nameof(weights));
        }

        bool perChannel = inChannels != 1 && inChannels != 3;
        int colourChannels = inChannels == 3 ? 3 : 1;
        int tiles = perChannel ? outChannels * inChannels : outChannels;
        int gridColumns = perChannel ? inChannels : (columns > 0 ? columns : (int)Math.Ceiling(Math.Sqrt(outChannels)));
        var grid = new Grid(tiles, gridColumns, kw, kh, scale, colourChannels);
        byte[] tile = new byte[kh * kw * colourChannels];
        for (int o = 0; o < outChannels; o++)
        {
            ReadOnlySpan<float> filter = weights.Slice(o * filterSize, filterSize);
            float max = 0;
            foreach (float x in filter)
            {
                max = Math.Max(max, Math.Abs(x));
            }

            float toUnit = max > 0 ? 0.5f / max : 0; // [-max, max] -> [0, 1] around 0.5
            if (perChannel)
            {
                for (int i = 0; i < inChannels; i++)
                {
                    for (int p = 0; p < kh * kw; p++)
                    {
                        tile[p] = ToByte(0.5f + filter[i * kh * kw + p] * toUnit);
                    }

                    grid.Paint(o * inChannels + i, tile);
                }
            }
            else
            {
                for (int p = 0; p < kh * kw; p++)
                {
                    for (int c = 0; c < colourChannels; c++)
                    {
                        tile[p * colourChannels + c] = ToByte(0.5f + filter[c * kh * kw + p] * toUnit);
                    }
                }

                grid.Paint(o, tile);
            }
        }

        grid.Save(path);
    }

    /// <summary>
    /// Tiles one image's <paramref name="channels"/> feature maps (CHW, <paramref name="h"/> x <paramref name="w"/>
    /// each: pass the first image's slice of a batch) in a grid of <paramref name="columns"/> per row, each map
    /// min/max normalised on its own (its smallest value black, its largest white; a constant map, such as a ReLU
    /// channel that never fires, black) and scaled up <paramref name="scale"/> times.
    /// </summary>
    public static void FeatureMaps(ReadOnlySpan<float> maps, int channels, int h, int w, string path, int scale = 4, int columns = 8)
    {
        CheckPositive(channels, 1, h, w, scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int plane = h * w;
        if (maps.Length < (long)channels * plane)
        {
            throw new ArgumentException($"{maps.Length} values are fewer than {channels} maps of {h}x{w}.", nameof(maps));
        }

        var grid = new Grid(channels, Math.Min(columns, channels), w, h, scale, 1);
        byte[] tile = new byte[plane];
        for (int c = 0; c < channels; c++)
        {
            MinMax(maps.Slice(c * plane, plane), tile);
            grid.Paint(c, tile);
        }

        grid.Save(path);
    }

    /// <summary>
    /// Draws an input image (CHW; 1 channel grayscale, 3 channels RGB) scaled up <paramref name="scale"/> times, undoing
    /// the normalisation first (<c>pixel = value * std + mean</c>, clamped to [0, 1]).
    /// </summary>
    public static void InputImage(ReadOnlySpan<float> image, int channels, int h, int w, string path, int scale = 8, float mean = 0, float std = 1)
    {
        if (channels != 1 && channels != 3)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An input image has 1 (grayscale) or 3 (RGB) channels.");
        }

        CheckPositive(1, channels, h, w, scale);
        var grid = new Grid(1, 1, w, h, scale, channels, separator: false);
        grid.Paint(0, Denormalize(image, channels, h, w, mean, std));
        grid.Save(path);
    }

    /// <summary>Draws image <paramref name="index"/> of <paramref name="data"/> (see <see cref="InputImage(ReadOnlySpan{float}, int, int, int, string, int, float, float)"/>).</summary>
    public static void InputImage(Dataset data, int index, string path, int scale = 8)
        => InputImage(data.Image(index), data.Channels, data.Height, data.Width, path, scale, data.Mean, data.Std);

    /// <summary>
    /// Draws the images <paramref name="indices"/> of <paramref name="data"/> in a grid of <paramref name="columns"/>
    /// per row, normalisation undone (e.g. the first test images, or the ones the network gets wrong).
    /// </summary>
    public static void ImageGrid(Dataset data, ReadOnlySpan<int> indices, string path, int scale = 2, int columns = 10)
    {
        if (data.Channels != 1 && data.Channels != 3)
        {
            throw new ArgumentException($"Images of {data.Channels} channels are not grayscale or RGB.", nameof(data));
        }

        if (indices.IsEmpty)
        {
            throw new ArgumentException("No images to draw.", nameof(indices));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var grid = new Grid(indices.Length, Math.Min(columns, indices.Length), data.Width, data.Height, scale, data.Channels);
        for (int t = 0; t < indices.Length; t++)
        {
            grid.Paint(t, Denormalize(data.Image(indices[t]), data.Channels, data.Height, data.Width, data.Mean, data.Std));
        }

        grid.Save(path);
    }

    // CHW floats -> HWC bytes (interleaved as PNG wants them).
    private static byte[] Denormalize(ReadOnlySpan<float> image, int channels, int h, int w, float mean, float std)
    {
        int plane = h * w;
        if (image.Length < (long)channels * plane)
        {
            throw new ArgumentException($"{image.Length} values are fewer than a {channels}x{h}x{w} image.", nameof(image));
        }

        byte[] pixels = new byte[channels * plane];
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < plane; p++)
            {
                pixels[p * channels + c] = ToByte(image[c * plane + p] * std + mean);
            }
        }

        return pixels;
    }

    private static void MinMax(ReadOnlySpan<float> plane, Span<byte> pixels)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float x in plane)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        float scale = max > min ? 1 / (max - min) : 0;
        for (int i = 0; i < plane.Length; i++)
        {
            pixels[i] = ToByte((plane[i] - min) * scale);
        }
    }

    private static byte ToByte(float unit) => float.IsNaN(unit) ? (byte)0 : (byte)Math.Clamp(MathF.Round(unit * 255f), 0f, 255f);

    private static void CheckPositive(int outChannels, int inChannels, int h, int w, int scale)
    {
        if (outChannels <= 0 || inChannels <= 0 || h <= 0 || w <= 0 || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), $"Sizes must be positive: {outChannels}x{inChannels}x{h}x{w}, scale {scale}.");
        }
    }

    /// <summary>A canvas of equal tiles (tileW x tileH source pixels, each scaled up) with 1-pixel black separators.</summary>
    private readonly struct Grid
    {
        private readonly int columns, tileW, tileH, scale, channels, gap, width, height;
        private readonly byte[] canvas;

        public Grid(int tiles, int columns, int tileW, int tileH, int scale, int channels, bool separator = true)
        {
            this.columns = columns;
            this.tileW = tileW;
            this.tileH = tileH;
            this.scale = scale;
            this.channels = channels;
            gap = separator ? 1 : 0;
            int rows = (tiles + columns - 1) / columns;
            width = columns * (tileW * scale + gap) + gap;
            height = rows * (tileH * scale + gap) + gap;
            canvas = new byte[checked(width * height * channels)]; // black: separators and unused tiles
        }

        /// <summary>Copies one tile's pixels (tileH x tileW, interleaved channels) scaled up into its place.</summary>
        public void Paint(int tile, ReadOnlySpan<byte> pixels)
        {
            int x0 = gap + tile % columns * (tileW * scale + gap);
            int y0 = gap + tile / columns * (tileH * scale + gap);
            for (int y = 0; y < tileH * scale; y++)
            {
                int row = ((y0 + y) * width + x0) * channels;
                int source = y / scale * tileW * channels;
                for (int x = 0; x < tileW * scale; x++)
                {
                    int from = source + x / scale * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        canvas[row + x * channels + c] = pixels[from + c];
                    }
                }
            }
        }

        public void Save(string path)
        {
            if (channels == 3)
            {
                PngWriter.WriteRgb8(path, canvas, width, height);
            }
            else
            {
                PngWriter.WriteGray8(path, canvas, width, height);
            }
        }
    }
}
