using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// A whole batch padded by a padding mode into a per-thread buffer, for generated Winograd layers whose padding is not
/// symmetric zeros (their tile staging adds only zero borders). Called by generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PaddedInput
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>
    /// <paramref name="input"/> (NCHW, <paramref name="shape"/>) with <paramref name="pads"/> rows and columns added
    /// as <paramref name="mode"/> fills them; valid until the calling thread's next call.
    /// </summary>
    public static ReadOnlySpan<float> Pad(ReadOnlySpan<float> input, TensorShape shape, Pads pads, PaddingMode mode)
    {
        int height = shape.H + pads.Top + pads.Bottom, width = shape.W + pads.Left + pads.Right;
        int image = shape.C * height * width, source = shape.C * shape.H * shape.W;
        int length = checked(shape.N * image);
        float[] buffer = t_buffer is { } b && b.Length >= length ? b : (t_buffer = new float[length]);
        TensorShape one = shape with { N = 1 };
        for (int n = 0; n < shape.N; n++)
        {
            SeparableBands.StageRows(input.Slice(n * source, source), one, pads, mode, 0, height, buffer.AsSpan(n * image, image));
        }

        return buffer.AsSpan(0, length);
    }
}
