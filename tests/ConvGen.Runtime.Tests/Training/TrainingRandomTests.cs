using System;
using System.Linq;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// <see cref="TrainingRandom"/>: repeatable from a seed, uniform by chi-square (with fixed seeds, so a pass or fail
/// is the same on every run), and a <see cref="TrainingRandom.Shuffle"/> that permutes uniformly.
/// </summary>
public sealed class TrainingRandomTests
{
    // Upper 0.1 % points of the chi-square distribution, by degrees of freedom.
    private const double ChiSquare5 = 20.515;
    private const double ChiSquare8 = 26.124;
    private const double ChiSquare9 = 27.877;
    private const double ChiSquare15 = 37.697;

    private static double ChiSquare(long[] counts)
    {
        double expected = counts.Sum() / (double)counts.Length;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var a = new TrainingRandom(2024);
        var b = new TrainingRandom(2024);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
            Assert.Equal(a.NextFloat(), b.NextFloat());
            Assert.Equal(a.NextInt(1 + i), b.NextInt(1 + i));
        }
    }

    [Fact]
    public void Different_seeds_including_zero_give_different_sequences()
    {
        ulong[] Draw(ulong seed)
        {
            var r = new TrainingRandom(seed);
            return Enumerable.Range(0, 8).Select(_ => r.NextUInt64()).ToArray();
        }

        Assert.NotEqual(Draw(0), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
        Assert.DoesNotContain(0UL, Draw(0));
    }

    [Fact]
    public void Next_float_is_in_zero_one_and_uniform_over_16_bins()
    {
        var random = new TrainingRandom(11);
        var counts = new long[16];
        for (int i = 0; i < 160_000; i++)
        {
            float x = random.NextFloat();
            Assert.True(x >= 0f && x < 1f, $"draw {i} is {x}");
            counts[(int)(x * 16)]++;
        }

        Assert.True(ChiSquare(counts) < ChiSquare15, $"chi-square {ChiSquare(counts)} over [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void Next_int_is_uniform_over_a_small_range()
    {
        var random = new TrainingRandom(12);
        var counts = new long[10];
        for (int i = 0; i < 100_000; i++)
        {
            counts[random.NextInt(10)]++;
        }

        Assert.True(ChiSquare(counts) < ChiSquare9, $"chi-square {ChiSquare(counts)} over [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void Next_int_has_no_bias_for_a_range_that_does_not_divide_two_to_the_32()
    {
        // For 3·2²⁹, 32 random bits cannot be split evenly. Reducing them modulo the range would put half the draws in
        // the first third; the multiply-shift without its rejection step gives x ≡ 2 (mod 3) only 2/8 of the draws.
        // Bins by (third, x mod 3) catch both.
        const int Max = 3 << 29;
        var random = new TrainingRandom(13);
        var counts = new long[9];
        for (int i = 0; i < 45_000; i++)
        {
            int x = random.NextInt(Max);
            Assert.InRange(x, 0, Max - 1);
            counts[x / (1 << 29) * 3 + x % 3]++;
        }

        Assert.True(ChiSquare(counts) < ChiSquare8, $"chi-square {ChiSquare(counts)} over [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void Next_int_of_one_is_always_zero_and_a_non_positive_maximum_is_rejected()
    {
        var random = new TrainingRandom(14);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(0, random.NextInt(1));
        }

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
        Assert.Contains("got 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(-5));
    }

    [Fact]
    public void Shuffle_returns_a_permutation()
    {
        var random = new TrainingRandom(15);
        int[] values = Enumerable.Range(0, 1000).ToArray();

        random.Shuffle(values);

        Assert.Equal(Enumerable.Range(0, 1000), values.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), values);
    }

    [Fact]
    public void Shuffle_makes_all_orders_of_three_equally_likely()
    {
        // The classic off-by-one (swapping with any index, not only those not yet placed) favours some orders of three.
        var random = new TrainingRandom(16);
        var counts = new long[6];
        Span<int> values = stackalloc int[3];
        for (int i = 0; i < 60_000; i++)
        {
            values[0] = 0;
            values[1] = 1;
            values[2] = 2;
            random.Shuffle(values);
            counts[values[0] * 2 + (values[1] > values[2] ? 1 : 0)]++;
        }

        Assert.True(ChiSquare(counts) < ChiSquare5, $"chi-square {ChiSquare(counts)} over [{string.Join(", ", counts)}]");
    }
}
