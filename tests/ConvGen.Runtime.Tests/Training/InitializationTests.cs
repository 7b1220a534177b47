using System;
using System.Linq;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// <see cref="Initialization"/>: the bounds of PyTorch's default Conv/ConvTranspose/Linear initialisation, the
/// distribution of the draws, and repeatability from a seed.
/// </summary>
public sealed class InitializationTests
{
    private static Parameter Make(string name, params int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        return new Parameter(name, new float[count], shape);
    }

    private static float MaxAbs(Parameter p)
    {
        float max = 0;
        foreach (float v in p.Values.Span)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>
    /// The draws lie in [−bound, bound], come close to both ends, and their mean and variance are within 5 standard
    /// errors of U(−bound, bound)'s 0 and bound²/3.
    /// </summary>
    private static void AssertUniform(ReadOnlySpan<float> values, double bound)
    {
        int n = values.Length;
        double sum = 0, sumSquares = 0;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in values)
        {
            sum += v;
            sumSquares += (double)v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        Assert.True(min >= -bound && max <= bound, $"draws span [{min}, {max}], outside ±{bound}");
        // With n ≥ 100 000 draws, missing the last 0.1 % at either end has probability below e^-50.
        Assert.True(min < -0.999 * bound && max > 0.999 * bound, $"draws span only [{min}, {max}] of ±{bound}");

        double mean = sum / n;
        double meanError = bound / Math.Sqrt(3) / Math.Sqrt(n);
        Assert.True(Math.Abs(mean) < 5 * meanError, $"mean {mean}, standard error {meanError}");

        // E[x²] = b²/3 with Var[x²] = b⁴/5 − b⁴/9 = 4b⁴/45.
        double meanSquare = sumSquares / n;
        double squareError = Math.Sqrt(4.0 / 45) * bound * bound / Math.Sqrt(n);
        Assert.True(Math.Abs(meanSquare - bound * bound / 3) < 5 * squareError,
            $"mean square {meanSquare}, expected {bound * bound / 3} ± {squareError}");
    }

    [Fact]
    public void Linear_weight_is_uniform_within_one_over_root_fan_in()
    {
        Parameter weight = Make("weight", 100, 1000); // fan_in 1000, 100 000 draws

        Initialization.KaimingUniform([weight], new TrainingRandom(7));

        AssertUniform(weight.Values.Span, 1 / Math.Sqrt(1000));
    }

    [Fact]
    public void Conv_weight_bound_uses_in_channels_times_taps()
    {
        Parameter weight = Make("conv.weight", 256, 48, 3, 3); // fan_in 48·9 = 432, 110 592 draws

        Initialization.KaimingUniform([weight], new TrainingRandom(8));

        AssertUniform(weight.Values.Span, 1 / Math.Sqrt(432));
    }

    [Fact]
    public void Bias_takes_the_fan_in_of_its_weight_not_its_own_length()
    {
        // Weight fan_in 2 gives a bound of 0.707; the bias's own length (100 000) would give 0.003.
        Parameter weight = Make("fc.weight", 100_000, 2);
        Parameter bias = Make("fc.bias", 100_000);

        Initialization.KaimingUniform([weight, bias], new TrainingRandom(9));

        AssertUniform(bias.Values.Span, 1 / Math.Sqrt(2));
    }

    [Fact]
    public void Each_bias_pairs_with_the_closest_preceding_weight_of_its_own_prefix()
    {
        Parameter stem = Make("weight", 8, 1, 1);                          // fan_in 1
        Parameter stemBias = Make("bias", 2000);
        Parameter depthwise = Make("sep.depthwise.weight", 32, 1, 5, 5);   // fan_in 25
        Parameter pointwise = Make("sep.pointwise.weight", 64, 32, 1, 1);  // fan_in 32
        Parameter depthwiseBias = Make("sep.depthwise.bias", 2000);
        Parameter pointwiseBias = Make("sep.pointwise.bias", 2000);
        Parameter stem2 = Make("weight", 8, 400);                          // fan_in 400, after stemBias
        Parameter stem2Bias = Make("bias", 2000);

        Initialization.KaimingUniform([stem, stemBias, depthwise, pointwise, depthwiseBias, pointwiseBias, stem2, stem2Bias], new TrainingRandom(10));

        // 2000 draws reach within 2 % of the bound except with probability (0.99)^2000 ≈ 2e-9 per end.
        AssertBound(stemBias, 1.0);
        AssertBound(depthwiseBias, 1 / 5.0);
        AssertBound(pointwiseBias, 1 / Math.Sqrt(32));
        AssertBound(stem2Bias, 1 / 20.0);

        static void AssertBound(Parameter p, double bound)
        {
            float max = MaxAbs(p);
            Assert.True(max <= bound && max > 0.98 * bound, $"{p}: max |value| {max}, bound {bound}");
        }
    }

    [Fact]
    public void Transposed_weight_bound_uses_its_second_dimension_as_pytorch_does()
    {
        // ConvTranspose2d(in 2, out 64, k 4): weight [2, 64, 4, 4], PyTorch's fan_in is 64·16 = 1024 (not 2·16).
        Parameter weight = Make("up.weight", 2, 64, 4, 4);
        Parameter bias = Make("up.bias", 64);

        Initialization.KaimingUniform([weight, bias], new TrainingRandom(11));

        Assert.True(MaxAbs(weight) <= 1 / 32f && MaxAbs(weight) > 0.9f / 32, $"max |weight| {MaxAbs(weight)}");
        Assert.True(MaxAbs(bias) <= 1 / 32f, $"max |bias| {MaxAbs(bias)}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_values_and_another_seed_others()
    {
        float[] Draw(ulong seed)
        {
            Parameter w = Make("weight", 16, 3, 3, 3);
            Parameter b = Make("bias", 16);
            Initialization.KaimingUniform([w, b], new TrainingRandom(seed));
            return [.. w.Values.Span, .. b.Values.Span];
        }

        Assert.Equal(Draw(123), Draw(123));
        Assert.NotEqual(Draw(123), Draw(124));
    }

    [Fact]
    public void A_bias_without_a_preceding_weight_is_rejected_before_anything_is_drawn()
    {
        Parameter weight = Make("conv1.weight", 4, 3, 3, 3);
        Parameter bias = Make("conv2.bias", 4);

        ArgumentException e = Assert.Throws<ArgumentException>(() => Initialization.KaimingUniform([weight, bias], new TrainingRandom(1)));

        Assert.Contains("conv2.bias [4]", e.Message, StringComparison.Ordinal);
        Assert.Contains("no 'conv2.weight' comes before it", e.Message, StringComparison.Ordinal);
        Assert.All(weight.Values.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Uniform_fills_within_the_bound_with_uniform_statistics()
    {
        var values = new float[200_000];

        Initialization.Uniform(values, 2.5f, new TrainingRandom(3));

        AssertUniform(values, 2.5);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Uniform_rejects_a_bad_bound(float bound)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => Initialization.Uniform(new float[3], bound, new TrainingRandom(1)));
        Assert.Equal("bound", e.ParamName);
    }
}
