using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using ConvGen.Internal;
using Xunit.Abstractions;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The activations against double-precision references. The span overload takes the widest accelerated path; to cover
/// the narrower ones, run this class again under each of
/// <c>DOTNET_EnableAVX512=0</c> (Vector256), <c>DOTNET_EnableAVX2=0</c> (Vector128) and <c>DOTNET_EnableHWIntrinsic=0</c>
/// (scalar), e.g. <c>DOTNET_EnableAVX2=0 dotnet test tests/ConvGen.Runtime.Tests -c Release --filter ActivationFunctions</c>.
/// <see cref="Every_width_gives_the_span_overload_s_values_bit_for_bit"/> also pins all widths against each other on
/// any machine, through the vector overloads' software fallback where the hardware lacks them.
/// </summary>
public class ActivationFunctionsTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 2e-6;
    private const double TinyValue = 1e-30;
    private const double AbsoluteTolerance = 1e-7;

    public static TheoryData<Activation> ExpBasedKinds => new() { Activation.Sigmoid, Activation.Tanh, Activation.SiLU };

    public static TheoryData<Activation> AllKinds => new()
    {
        Activation.ReLU, Activation.ReLU6, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh, Activation.SiLU,
    };

    [Theory]
    [MemberData(nameof(ExpBasedKinds))]
    public void Exp_based_kinds_stay_within_2e_6_relative_of_the_double_reference_from_minus_20_to_20(Activation kind)
    {
        float[] x = Sweep();
        float[] y = (float[])x.Clone();

        ActivationFunctions.Apply(y, kind, 0f);

        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Reference(kind, x[i]);
            double relative = Math.Abs(y[i] - expected) / Math.Abs(expected);
            if (expected != 0 && relative > worst)
            {
                worst = relative;
                worstAt = x[i];
            }

            AssertClose(expected, y[i], kind, x[i]);
        }

        output.WriteLine($"{kind} on {Path()}: max relative error {worst:E2} at x = {worstAt:R} over {x.Length} points");
    }

    [Theory]
    [MemberData(nameof(ExpBasedKinds))]
    public void Exp_based_kinds_reach_their_limits_without_NaN_far_from_zero(Activation kind)
    {
        float[] x = [0f, -0f, 1e-8f, -1e-8f, 1e-30f, -1e-30f, float.Epsilon, -float.Epsilon, 0.625f, -0.625f, 20f, -20f, 88f, -88f, 88.7f, -88.7f, 89.5f, -89.5f, 100f, -100f, 1e30f, -1e30f];
        float[] y = (float[])x.Clone();

        ActivationFunctions.Apply(y, kind, 0f);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.False(float.IsNaN(y[i]), $"{kind}({x[i]:R}) is NaN");
            AssertClose(Reference(kind, x[i]), y[i], kind, x[i]);
        }
    }

    [Theory]
    [InlineData(Activation.Sigmoid, float.PositiveInfinity, 1f)]
    [InlineData(Activation.Sigmoid, float.NegativeInfinity, 0f)]
    [InlineData(Activation.Tanh, float.PositiveInfinity, 1f)]
    [InlineData(Activation.Tanh, float.NegativeInfinity, -1f)]
    [InlineData(Activation.SiLU, float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(Activation.SiLU, float.NegativeInfinity, 0f)]
    public void Infinite_inputs_give_the_limit(Activation kind, float x, float expected)
    {
        float[] y = [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x];

        ActivationFunctions.Apply(y, kind, 0f);

        Assert.All(y, v => Assert.Equal(expected, v));
    }

    [Fact]
    public void ReLU_and_ReLU6_clip_exactly()
    {
        float[] x = [-1e30f, -3f, -1e-30f, 0f, 1e-30f, 2.5f, 5.999999f, 6f, 6.5f, 1e30f, float.NegativeInfinity, float.PositiveInfinity];
        float[] relu = (float[])x.Clone();
        float[] relu6 = (float[])x.Clone();

        ActivationFunctions.Apply(relu, Activation.ReLU, 0f);
        ActivationFunctions.Apply(relu6, Activation.ReLU6, 0f);

        Assert.Equal(new float[] { 0, 0, 0, 0, 1e-30f, 2.5f, 5.999999f, 6, 6.5f, 1e30f, 0, float.PositiveInfinity }, relu);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1e-30f, 2.5f, 5.999999f, 6, 6, 6, 0, 6 }, relu6);
    }

    [Theory]
    [InlineData(0.01f, -2f, -0.02f)]
    [InlineData(0.01f, 3f, 3f)]
    [InlineData(2.5f, -2f, -5f)]
    [InlineData(-0.5f, -2f, 1f)]
    [InlineData(-0.5f, 4f, 4f)]
    [InlineData(0f, -7f, 0f)]
    [InlineData(0.2f, float.NegativeInfinity, float.NegativeInfinity)]
    public void LeakyReLU_scales_only_negative_inputs_by_any_slope(float slope, float x, float expected)
    {
        float[] y = new float[37];
        y.AsSpan().Fill(x);

        ActivationFunctions.Apply(y, Activation.LeakyReLU, slope);

        Assert.All(y, v => Assert.Equal(expected, v));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    public void Every_element_of_a_span_is_activated_once_and_its_neighbours_not_at_all(int length)
    {
        // Three elements either side of the span must survive; an overlapping tail would activate some elements twice.
        var rng = new Random(length);
        foreach (Activation kind in AllKinds)
        {
            float[] buffer = new float[length + 6];
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (float)(rng.NextDouble() * 16 - 8);
            }

            float[] before = (float[])buffer.Clone();

            ActivationFunctions.Apply(buffer.AsSpan(3, length), kind, 0.1f);

            for (int i = 0; i < buffer.Length; i++)
            {
                bool inside = i >= 3 && i < 3 + length;
                if (!inside)
                {
                    Assert.Equal(before[i], buffer[i]);
                }
                else if (kind == Activation.LeakyReLU)
                {
                    Assert.Equal(before[i] >= 0 ? before[i] : before[i] * 0.1f, buffer[i]);
                }
                else
                {
                    AssertClose(Reference(kind, before[i]), buffer[i], kind, before[i]);
                }
            }
        }
    }

    [Fact]
    public void None_leaves_every_value_as_it_is()
    {
        float[] y = [-1f, float.NaN, 0f, 3f, float.NegativeInfinity, -0f, 7f, 8f, 9f];
        float[] before = (float[])y.Clone();

        ActivationFunctions.Apply(y, Activation.None, 0.5f);

        Assert.Equal(before, y);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Every_width_gives_the_span_overload_s_values_bit_for_bit(Activation kind)
    {
        // Kernels apply the register overloads before their stores and the span overload elsewhere; both must agree.
        var rng = new Random((int)kind);
        float[] x = new float[256];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 60 - 30);
        }

        float[] edges = [0f, -0f, 1e-8f, -1e-8f, 0.625f, -0.625f, 88f, -88f, 100f, -100f, float.PositiveInfinity, float.NegativeInfinity];
        edges.CopyTo(x, 0);
        float[] span = (float[])x.Clone();
        ActivationFunctions.Apply(span, kind, 0.03f);

        for (int i = 0; i < x.Length; i += 16)
        {
            AssertSameBits(span.AsSpan(i, 16), ActivationFunctions.Apply(Vector512.Create(x.AsSpan(i, 16)), kind, 0.03f), kind, "Vector512");
        }

        for (int i = 0; i < x.Length; i += 8)
        {
            AssertSameBits(span.AsSpan(i, 8), ActivationFunctions.Apply(Vector256.Create(x.AsSpan(i, 8)), kind, 0.03f), kind, "Vector256");
        }

        for (int i = 0; i < x.Length; i += 4)
        {
            AssertSameBits(span.AsSpan(i, 4), ActivationFunctions.Apply(Vector128.Create(x.AsSpan(i, 4)), kind, 0.03f), kind, "Vector128");
        }

        for (int i = 0; i < x.Length; i++)
        {
            float scalar = ActivationFunctions.Apply(x[i], kind, 0.03f);
            Assert.True(BitConverter.SingleToInt32Bits(span[i]) == BitConverter.SingleToInt32Bits(scalar),
                $"{kind}({x[i]:R}): span {span[i]:R}, scalar overload {scalar:R}");
        }
    }

    /// <summary>A dense grid over [−20, 20] (every 1/1024) plus random floats there, and the region near zero.</summary>
    private static float[] Sweep()
    {
        var values = new List<float>();
        for (int i = -20 * 1024; i <= 20 * 1024; i++)
        {
            values.Add(i / 1024f);
        }

        var rng = new Random(2024);
        for (int i = 0; i < 20000; i++)
        {
            values.Add((float)(rng.NextDouble() * 40 - 20));
        }

        for (float t = 1e-12f; t < 1f; t *= 1.01f)
        {
            values.Add(t);
            values.Add(-t);
        }

        return values.ToArray();
    }

    private static double Reference(Activation kind, double x) => kind switch
    {
        Activation.ReLU => Math.Max(x, 0),
        Activation.ReLU6 => Math.Min(Math.Max(x, 0), 6),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Tanh => Math.Tanh(x),
        Activation.SiLU => x / (1 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void AssertClose(double expected, float actual, Activation kind, float x)
    {
        double error = Math.Abs(actual - expected);
        bool ok = Math.Abs(expected) >= TinyValue ? error <= RelativeTolerance * Math.Abs(expected) : error <= AbsoluteTolerance;
        Assert.True(ok, $"{kind}({x:R}) = {actual:R}, expected {expected:R}");
    }

    private static void AssertSameBits<TVec>(ReadOnlySpan<float> expected, TVec actual, Activation kind, string width)
        where TVec : struct
    {
        Span<float> lanes = stackalloc float[expected.Length];
        switch (actual)
        {
            case Vector512<float> v: v.CopyTo(lanes); break;
            case Vector256<float> v: v.CopyTo(lanes); break;
            case Vector128<float> v: v.CopyTo(lanes); break;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(lanes[i]),
                $"{kind} lane {i}: span {expected[i]:R}, {width} overload {lanes[i]:R}");
        }
    }

    private static string Path() => Vector512.IsHardwareAccelerated ? "Vector512"
        : Vector256.IsHardwareAccelerated ? "Vector256"
        : Vector128.IsHardwareAccelerated ? "Vector128"
        : "scalar";
}
