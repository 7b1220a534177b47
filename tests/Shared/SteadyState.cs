using System;

namespace ConvGen.Testing;

/// <summary>Measures what a call allocates on the calling thread once it is warm.</summary>
internal static class SteadyState
{
    private const int Windows = 8;

    /// <summary>
    /// Bytes the calling thread allocates in <paramref name="calls"/> calls of <paramref name="call"/> after one
    /// warm-up call: the least over up to eight measurement windows.
    /// </summary>
    /// <remarks>
    /// The runtime itself may allocate once on a test thread while a test measures (tiered compilation and on-stack
    /// replacement land wherever the code is running; CI saw 7.8 KB in one window of a layer that allocates nothing).
    /// A one-off allocation is gone in the next window; an allocation per call is in every window, so this still fails
    /// for code that allocates per call.
    /// </remarks>
    public static long AllocatedBytes(Action call, int calls = 3)
    {
        call();
        long least = long.MaxValue;
        for (int window = 0; window < Windows && least != 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
