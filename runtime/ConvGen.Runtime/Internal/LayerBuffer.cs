using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// A buffer owned by one layer instance for its backward pass (the pre-activation gradient, the padded input, the
/// unfolded input gradient), grown to the largest request and then reused, so a training step allocates nothing once
/// the batch size stops growing. It is separate from <see cref="Scratch"/> because the kernels the backward pass calls
/// take their own staging from there while these values must survive the call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerBuffer
{
    /// <summary>A span of exactly <paramref name="length"/> floats of <paramref name="buffer"/>, growing it first if needed; contents unspecified.</summary>
    public static Span<float> Get(ref float[]? buffer, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A backward buffer larger than the largest array the runtime allows.");
        }

        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>((int)length);
        }

        return buffer.AsSpan(0, (int)length);
    }
}
