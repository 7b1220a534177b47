using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Per-thread scratch memory for kernels (padded, phase-split input planes). Grows to the largest request a thread
/// has made and is then reused, so a Forward allocates only on its first call per thread and size, and concurrent
/// Forward calls on one layer never share a buffer.
/// </summary>
/// <remarks>
/// The buffer lives on the pinned object heap and every span starts on a 64-byte boundary: where a kernel's vector
/// loads split cache lines then depends on the geometry only, not on where the GC happened to put the array, so
/// timings repeat from one process to the next.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Scratch
{
    private const int AlignmentFloats = 64 / sizeof(float);

    [ThreadStatic]
    private static float[]? s_buffer;

    [ThreadStatic]
    private static int s_offset;

    /// <summary>A span of exactly <paramref name="length"/> floats owned by the calling thread, with unspecified contents.</summary>
    /// <remarks>The span is valid until the next call on the same thread; kernels must not nest two uses.</remarks>
    public static Span<float> Get(int length)
    {
        float[]? buffer = s_buffer;
        if (buffer is null || buffer.Length - s_offset < length)
        {
            // Grow geometrically so that a sequence of slightly larger shapes does not allocate every time, but never
            // past the largest array the runtime allows (int.MaxValue floats is not allocatable).
            long wanted = Math.Max((long)length, buffer is null ? 0 : buffer.Length * 2L) + AlignmentFloats;
            int size = (int)Math.Min(Array.MaxLength, wanted);
            buffer = GC.AllocateUninitializedArray<float>(size, pinned: true);
            s_buffer = buffer;
            s_offset = AlignmentOffset(buffer);
            if (buffer.Length - s_offset < length)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "Scratch request larger than the largest array the runtime allows.");
            }
        }

        return buffer.AsSpan(s_offset, length);
    }

    private static unsafe int AlignmentOffset(float[] pinnedBuffer)
    {
        fixed (float* start = pinnedBuffer)
        {
            long misalignment = (long)start % 64;
            return misalignment == 0 ? 0 : (int)((64 - misalignment) / sizeof(float));
        }
    }
}
