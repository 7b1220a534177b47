using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests.Backward;

/// <summary>
/// <see cref="ActivationGradient"/> against the double-precision derivative of <see cref="ConvReference"/> (read
/// through <see cref="ConvReference.LinearBackward"/> of a 1 → 1 layer with weight 1, whose input gradient is exactly
/// dy·f′(z)): every activation, from the output and from the pre-activation, at and near the kinks, in place, and at
/// every length from 1 to 70 so that each vector width's tail is exercised.
/// </summary>
public sealed class ActivationGradientTests
{
    /// <summary>Kinks and the values on either side of them, then ordinary and saturating values.</summary>
    private static readonly float[] Special =
    {
        0f, -0f, 1e-30f, -1e-30f, float.Epsilon, -float.Epsilon, 1e-7f, -1e-7f,
        6f, MathF.BitDecrement(6f), MathF.BitIncrement(6f), 5.5f, 6.5f,
        0.5f, -0.5f, 1f, -1f, 2.5f, -2.5f, 4f, -4f, 10f, -10f, 16f, -16f, 30f, -30f, 90f, -90f, 120f, -120f,
    };

    public static IEnumerable<object[]> Activations()
    {
        yield return new object[] { Activation.None, 0.01f };
        yield return new object[] { Activation.ReLU, 0.01f };
        yield return new object[] { Activation.ReLU6, 0.01f };
        yield return new object[] { Activation.LeakyReLU, 0.01f };
        yield return new object[] { Activation.LeakyReLU, 0f };
        yield return new object[] { Activation.LeakyReLU, 1.5f };
        yield return new object[] { Activation.LeakyReLU, -0.25f };
        yield return new object[] { Activation.Sigmoid, 0.01f };
        yield return new object[] { Activation.Tanh, 0.01f };
        yield return new object[] { Activation.SiLU, 0.01f };
    }

    public static IEnumerable<object[]> OutputActivations()
        => Activations().Where(a => !ActivationGradient.NeedsPreActivation((Activation)a[0], (float)a[1]));

    /// <summary>dy·f′(z) in double, rounded once: the reference's own derivative.</summary>
    private static float[] ReferenceGradient(Activation kind, float slope, float[] z, float[] dy)
    {
        var dx = new float[z.Length];
        var dw = new float[1];
        ConvReference.LinearBackward(z, new TensorShape(z.Length, 1, 1), new[] { 1f }, ReadOnlySpan<float>.Empty, 1, 1, kind, slope,
            dy, dx, dw, Span<float>.Empty);
        return dx;
    }

    /// <summary>The output the forward pass would have kept: f(z) in double, rounded once.</summary>
    private static float[] Outputs(Activation kind, float slope, float[] z)
        => z.Select(v => ConvReference.Activate(kind, slope, v)).ToArray();

    /// <summary><paramref name="length"/> pre-activations: the special values, rotated so that each lands in every lane, then random ones.</summary>
    private static float[] PreActivations(int length, int seed)
    {
        var random = new Random(seed);
        var z = new float[length];
        for (int i = 0; i < length; i++)
        {
            z[i] = i < Special.Length ? Special[(i + seed) % Special.Length] : (float)(random.NextDouble() * 16 - 8);
        }

        return z;
    }

    private static float[] Gradients(int length, int seed)
    {
        var random = new Random(seed + 1000);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Within 2e-6 absolute plus 1e-6 relative: a few roundings of float arithmetic on values up to about 1.1.</summary>
    private static void AssertClose(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 2e-6 + 1e-6 * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture, "{0}: element {1} is {2:R}, expected {3:R}.", context, i, actual[i], expected[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void FromPreActivation_matches_the_reference_derivative_at_every_length_from_1_to_70(Activation kind, float slope)
    {
        for (int length = 1; length <= 70; length++)
        {
            float[] z = PreActivations(length, length), dy = Gradients(length, length);
            float[] expected = ReferenceGradient(kind, slope, z, dy);
            var dz = new float[length];
            ActivationGradient.FromPreActivation(kind, slope, z, dy, dz);
            AssertClose(expected, dz, $"{kind} slope {slope} length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(OutputActivations))]
    public void FromOutput_matches_the_reference_derivative_at_every_length_from_1_to_70(Activation kind, float slope)
    {
        for (int length = 1; length <= 70; length++)
        {
            float[] z = PreActivations(length, length + 3), dy = Gradients(length, length);
            float[] expected = ReferenceGradient(kind, slope, z, dy);
            var dz = new float[length];
            ActivationGradient.FromOutput(kind, slope, Outputs(kind, slope, z), dy, dz);
            AssertClose(expected, dz, $"{kind} slope {slope} length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void At_the_kinks_the_gradient_is_exactly_PyTorchs_choice(Activation kind, float slope)
    {
        // ReLU: 0 at z = 0; ReLU6: 0 at z = 0 and z = 6; LeakyReLU: the slope at z = 0. The reference rounds dy·f′ once,
        // which for a derivative of 0, 1 or the slope is the float product: the kernel must agree exactly.
        if (kind is Activation.Sigmoid or Activation.Tanh or Activation.SiLU)
        {
            return;
        }

        float[] z = Enumerable.Range(0, 40).Select(i => Special[i % 13]).ToArray();
        float[] dy = Gradients(z.Length, 7);
        float[] expected = ReferenceGradient(kind, slope, z, dy);
        var fromZ = new float[z.Length];
        ActivationGradient.FromPreActivation(kind, slope, z, dy, fromZ);
        Assert.Equal(expected, fromZ);
        if (!ActivationGradient.NeedsPreActivation(kind, slope))
        {
            var fromY = new float[z.Length];
            ActivationGradient.FromOutput(kind, slope, Outputs(kind, slope, z), dy, fromY);
            Assert.Equal(expected, fromY);
        }
    }

    [Fact]
    public void A_zero_derivative_gives_zero_even_for_an_infinite_or_NaN_gradient()
    {
        float[] z = { -1f, 0f, 7f, -3f, 0f, 6f, -2f, 9f };
        float[] dy = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.NaN, float.PositiveInfinity, float.NaN, float.NaN };
        var dz = new float[z.Length];
        ActivationGradient.FromPreActivation(Activation.ReLU6, 0f, z, dy, dz);
        Assert.All(dz, v => Assert.Equal(0f, v));
        ActivationGradient.FromOutput(Activation.ReLU, 0f, Outputs(Activation.ReLU, 0f, new[] { -1f, 0f, -7f, -3f, 0f, -6f, -2f, -9f }), dy, dz);
        Assert.All(dz, v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void In_place_use_gives_the_same_result_as_separate_spans(Activation kind, float slope)
    {
        foreach (int length in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 64, 70 })
        {
            float[] z = PreActivations(length, length + 11), dy = Gradients(length, length);
            float[] expected = ReferenceGradient(kind, slope, z, dy);

            // The gradient written over the output gradient, and over the pre-activation.
            float[] overGradient = (float[])dy.Clone();
            ActivationGradient.FromPreActivation(kind, slope, z, overGradient, overGradient);
            AssertClose(expected, overGradient, $"{kind} over dy, length {length}");
            float[] overValues = (float[])z.Clone();
            ActivationGradient.FromPreActivation(kind, slope, overValues, dy, overValues);
            AssertClose(expected, overValues, $"{kind} over z, length {length}");

            if (!ActivationGradient.NeedsPreActivation(kind, slope))
            {
                float[] y = Outputs(kind, slope, z);
                float[] overDy = (float[])dy.Clone();
                ActivationGradient.FromOutput(kind, slope, y, overDy, overDy);
                AssertClose(expected, overDy, $"{kind} from y over dy, length {length}");
                float[] overY = (float[])y.Clone();
                ActivationGradient.FromOutput(kind, slope, overY, dy, overY);
                AssertClose(expected, overY, $"{kind} from y over y, length {length}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.None, 0.01f, false)]
    [InlineData(Activation.ReLU, 0.01f, false)]
    [InlineData(Activation.ReLU6, 0.01f, false)]
    [InlineData(Activation.LeakyReLU, 0.01f, false)]
    [InlineData(Activation.LeakyReLU, 0f, false)]
    [InlineData(Activation.LeakyReLU, -0.01f, true)]
    [InlineData(Activation.Sigmoid, -1f, false)]
    [InlineData(Activation.Tanh, 0.01f, false)]
    [InlineData(Activation.SiLU, 0.01f, true)]
    public void Only_SiLU_and_LeakyReLU_with_a_negative_slope_need_the_pre_activation(Activation kind, float slope, bool needs)
        => Assert.Equal(needs, ActivationGradient.NeedsPreActivation(kind, slope));

    [Theory]
    [InlineData(Activation.SiLU, 0.01f)]
    [InlineData(Activation.LeakyReLU, -0.2f)]
    public void FromOutput_refuses_activations_whose_derivative_needs_the_pre_activation(Activation kind, float slope)
    {
        var values = new float[4];
        var error = Assert.Throws<ArgumentException>(() => ActivationGradient.FromOutput(kind, slope, values, values, new float[4]));
        Assert.Contains(kind.ToString(), error.Message);
        Assert.Contains("FromPreActivation", error.Message);
    }

    [Fact]
    public void Mismatched_lengths_partial_overlap_and_unknown_activations_throw()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationGradient.FromPreActivation(Activation.ReLU, 0f, new float[5], new float[5], new float[4]));
        Assert.Contains("5", error.Message);
        Assert.Contains("4", error.Message);
        Assert.Throws<ArgumentException>(() => ActivationGradient.FromOutput(Activation.Tanh, 0f, new float[5], new float[6], new float[5]));

        var buffer = new float[20];
        Assert.Throws<ArgumentException>(() => ActivationGradient.FromPreActivation(Activation.Tanh, 0f, buffer.AsSpan(0, 10), new float[10], buffer.AsSpan(1, 10)));
        Assert.Throws<ArgumentException>(() => ActivationGradient.FromOutput(Activation.Tanh, 0f, new float[10], buffer.AsSpan(5, 10), buffer.AsSpan(0, 10)));
        Assert.Throws<ArgumentException>(() => ActivationGradient.FromPreActivation((Activation)42, 0f, new float[2], new float[2], new float[2]));
    }

    [Fact]
    public void Computing_a_gradient_allocates_nothing()
    {
        float[] z = PreActivations(300, 1), dy = Gradients(300, 1), dz = new float[300];
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            ActivationGradient.FromPreActivation(Activation.SiLU, 0f, z, dy, dz);
            ActivationGradient.FromOutput(Activation.Tanh, 0f, z, dy, dz);
        }));
    }
}
