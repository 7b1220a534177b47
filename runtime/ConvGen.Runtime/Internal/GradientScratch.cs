using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Per-thread scratch memory for backward (gradient) kernels, separate from <see cref="Scratch"/>: the padded input,
/// the padded input gradient, a recomputed intermediate. Grows to the largest request a thread has made and is then
/// reused, so a backward pass allocates only on its first call per thread and size, and concurrent calls on different
/// threads never share a buffer.
/// </summary>
/// <remarks>
/// <para>
/// Why a second buffer: a layer's backward pass is called by training code that may still hold spans of
/// <see cref="Scratch"/> (a forward pass's staged input, a network's activations), and backward kernels may call
/// forward kernels that take <see cref="Scratch"/> themselves. Backward kernels therefore take their temporaries from
/// here, never from <see cref="Scratch"/>.
/// </para>
/// <para>
/// The rule: a span from <see cref="Get"/> (or <see cref="GetInts"/>) is valid until the next call of the same method
/// on the same thread. One backward kernel takes one span of each kind per call and slices it; it must not call
/// another backward kernel while it holds them, and callers must not hold these spans across a call into a backward
/// kernel. Like <see cref="Scratch"/>, the float buffer lives on the pinned object heap and starts on a 64-byte
/// boundary.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientScratch
{
    private const int AlignmentFloats = 64 / sizeof(float);

    [ThreadStatic]
    private static float[]? t_buffer;

    [ThreadStatic]
    private static int t_offset;

    [ThreadStatic]
    private static int[]? t_ints;

    /// <summary>A span of exactly <paramref name="length"/> floats owned by the calling thread, with unspecified contents.</summary>
    /// <remarks>The span is valid until the next call on the same thread; kernels must not nest two uses.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or larger than an array can hold.</exception>
    public static Span<float> Get(int length)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A scratch request cannot be negative.");
        }

        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length - t_offset < length)
        {
            // Geometric growth, capped at the largest array the runtime allows.
            long wanted = Math.Max((long)length, buffer is null ? 0 : buffer.Length * 2L) + AlignmentFloats;
            int size = (int)Math.Min(Array.MaxLength, wanted);
            buffer = GC.AllocateUninitializedArray<float>(size, pinned: true);
            t_buffer = buffer;
            t_offset = AlignmentOffset(buffer);
            if (buffer.Length - t_offset < length)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "Gradient scratch request larger than the largest array the runtime allows.");
            }
        }

        return buffer.AsSpan(t_offset, length);
    }

    /// <summary>A span of exactly <paramref name="length"/> ints owned by the calling thread, with unspecified contents.</summary>
    /// <remarks>The span is valid until the next call on the same thread; kernels must not nest two uses.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static Span<int> GetInts(int length)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A scratch request cannot be negative.");
        }

        int[]? buffer = t_ints;
        if (buffer is null || buffer.Length < length)
        {
            int size = (int)Math.Min(Array.MaxLength, Math.Max((long)length, buffer is null ? 0 : buffer.Length * 2L));
            buffer = new int[size];
            t_ints = buffer;
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>Rounds a sub-buffer length up so that the next sub-buffer sliced after it keeps the 64-byte alignment.</summary>
    public static long Aligned(long length) => (length + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;

    private static unsafe int AlignmentOffset(float[] pinnedBuffer)
    {
        fixed (float* start = pinnedBuffer)
        {
            long misalignment = (long)start % 64;
            return misalignment == 0 ? 0 : (int)((64 - misalignment) / sizeof(float));
        }
    }
}
