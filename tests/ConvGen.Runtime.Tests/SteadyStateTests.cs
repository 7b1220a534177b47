using System;
using System.Runtime.CompilerServices;

namespace ConvGen.Runtime.Tests;

/// <summary>The allocation measure the "allocates nothing" tests rely on still sees an allocation per call.</summary>
public class SteadyStateTests
{
    [Fact]
    public void An_allocation_in_every_call_is_reported()
    {
        object? kept = null;
        long bytes = SteadyState.AllocatedBytes(() => kept = Allocate(), calls: 3);
        Assert.True(bytes >= 3 * 24, $"{bytes} bytes");
        GC.KeepAlive(kept);
    }

    [Fact]
    public void An_allocation_in_the_first_measured_call_only_is_not_reported()
    {
        int calls = 0;
        object? kept = null;
        long bytes = SteadyState.AllocatedBytes(() =>
        {
            if (++calls == 2)
            {
                kept = Allocate(); // the first call after the warm-up, as a tier-up would
            }
        });
        Assert.Equal(0, bytes);
        GC.KeepAlive(kept);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object Allocate() => new byte[8];
}
