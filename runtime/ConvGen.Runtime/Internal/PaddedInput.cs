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
        int length = checked((int)ConvBackwardSupport.Padded(shape, pads).ElementCount);
        float[] buffer = t_buffer is { } b && b.Length >= length ? b : (t_buffer = new float[length]);
        Span<float> padded = buffer.AsSpan(0, length);
        ConvBackwardSupport.Pad(input, shape, pads, mode, padded);
        return padded;
    }
}
