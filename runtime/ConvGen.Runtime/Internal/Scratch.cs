using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Per-thread scratch memory for kernels (padded, phase-split input planes). Grows to the largest request a thread
/// has made and is then reused, so a Forward allocates only on its first call per thread and size, and concurrent
/// Forward calls on one layer never share a buffer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Scratch
{
    [ThreadStatic]
    private static float[]? s_buffer;

    /// <summary>A span of exactly <paramref name="length"/> floats owned by the calling thread, with unspecified contents.</summary>
    /// <remarks>The span is valid until the next call on the same thread; kernels must not nest two uses.</remarks>
    public static Span<float> Get(int length)
    {
        float[]? buffer = s_buffer;
        if (buffer is null || buffer.Length < length)
        {
            // Grow geometrically so that a sequence of slightly larger shapes does not allocate every time, but never
            // past the largest array the runtime allows (int.MaxValue floats is not allocatable).
            int size = Math.Max(length, buffer is null ? 0 : (int)Math.Min(Array.MaxLength, buffer.Length * 2L));
            buffer = new float[size];
            s_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
