using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace ConvGen.Layers.Tests;

/// <summary>
/// CI runs this suite once per SIMD path by disabling instruction sets (DOTNET_EnableAVX512=0, ...) and names the
/// path it expects in CONVGEN_EXPECTED_SIMD. This pins that each run really exercised that path, so a runtime that
/// ignored the switch could not make the narrower runs silently test the wide path again.
/// </summary>
public class SimdPathTests
{
    [Fact]
    public void Hardware_acceleration_matches_the_path_this_run_is_meant_to_test()
    {
        string active = Vector512.IsHardwareAccelerated ? "V512"
            : Vector256.IsHardwareAccelerated ? "V256"
            : Vector128.IsHardwareAccelerated ? "V128"
            : "Scalar";

        // A wider path accelerated implies every narrower one is (the dispatch in generated code relies on it).
        Assert.False(Vector512.IsHardwareAccelerated && !Vector256.IsHardwareAccelerated, "Vector512 without Vector256");
        Assert.False(Vector256.IsHardwareAccelerated && !Vector128.IsHardwareAccelerated, "Vector256 without Vector128");

        string? expected = Environment.GetEnvironmentVariable("CONVGEN_EXPECTED_SIMD");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, active);
        }
    }
}
