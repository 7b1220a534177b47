using System;
using System.Runtime.CompilerServices;

namespace ConvGen.Training;

/// <summary>
/// A seeded pseudo-random generator for initialisation and shuffling: xoshiro256** (Blackman and Vigna) with its state
/// filled by SplitMix64 from the seed. Unlike <see cref="Random"/>, whose algorithm may change between .NET versions,
/// the sequence for a given seed is fixed: integer arithmetic only, the same on every platform and runtime, so a
/// training run can be repeated exactly. Not thread-safe and not for cryptography.
/// </summary>
public sealed class TrainingRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose sequence is determined by <paramref name="seed"/> alone.</summary>
    public TrainingRandom(ulong seed)
    {
        // SplitMix64 spreads any seed, 0 included, over the 256-bit state; xoshiro must never start from all zeros,
        // and SplitMix64 cannot produce four zero outputs in a row.
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float uniformly distributed over [0, 1) on the grid of multiples of 2⁻²⁴.</summary>
    public float NextFloat()
    {
        // 24 bits is the float mantissa: every value is exact, and 1 can never be produced by rounding.
        return (NextUInt64() >> 40) * (1f / (1 << 24));
    }

    /// <summary>An integer uniformly distributed over [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"NextInt needs a positive exclusive maximum, got {maxExclusive}.");
        }

        // Lemire's multiply-shift: the high half of a 32x32-bit product maps the draw to the range, and the few draws
        // whose low half falls below 2³² mod n are redrawn so that every result has exactly the same number of draws.
        uint n = (uint)maxExclusive;
        ulong product = (ulong)(uint)(NextUInt64() >> 32) * n;
        uint low = (uint)product;
        if (low < n)
        {
            uint threshold = (0u - n) % n;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * n;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Puts <paramref name="values"/> in a uniformly random order (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
