using System;
using System.Runtime.InteropServices;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

public class ScratchTests
{
    [Fact]
    public void Get_returns_exactly_the_requested_length_and_reuses_the_memory_for_smaller_requests()
    {
        Span<float> large = Scratch.Get(1000);
        Span<float> small = Scratch.Get(10);

        Assert.Equal(1000, large.Length);
        Assert.Equal(10, small.Length);
        Assert.True(SameStart(large, small));
    }

    private static bool SameStart(Span<float> a, Span<float> b)
        => System.Runtime.CompilerServices.Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));
}
