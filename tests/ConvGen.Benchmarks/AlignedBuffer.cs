using System;

namespace ConvGen.Benchmarks;

/// <summary>
/// Float buffers that start on a 64-byte boundary, as the peers' tensors do (PyTorch and oneDNN allocate aligned
/// memory), so that where the GC happens to place an array is not one more variable between runs. (One run measured
/// mix1x1 1.5x slower on a misaligned input; a repeat measured it faster: the effect is not established.)
/// </summary>
internal static class AlignedBuffer
{
    public static unsafe ArraySegment<float> Create(long length)
    {
        float[] array = GC.AllocateArray<float>(checked((int)length + 16), pinned: true);
        fixed (float* start = array)
        {
            int offset = (int)((64 - (nint)start % 64) % 64) / sizeof(float);
            return new ArraySegment<float>(array, offset, (int)length);
        }
    }
}
