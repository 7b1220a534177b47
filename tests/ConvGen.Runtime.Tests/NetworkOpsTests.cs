using System;
using ConvGen.Internal;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>The residual add of generated networks: element-wise sum, then the activation; bad spans are refused.</summary>
public sealed class NetworkOpsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void Residual_add_sums_then_applies_the_activation(int length)
    {
        var target = new float[length];
        var source = new float[length];
        for (int i = 0; i < length; i++)
        {
            target[i] = i - length / 2f;
            source[i] = 0.25f * (i % 5) - 1;
        }

        var expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            expected[i] = Math.Max(0, target[i] + source[i]);
        }

        NetworkOps.AddInPlace(target, source, Activation.ReLU, 0.01f);
        Assert.Equal(expected, target);
    }

    [Fact]
    public void Residual_add_of_different_lengths_names_both()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => NetworkOps.AddInPlace(new float[4], new float[5], Activation.None, 0.01f));
        Assert.Contains("got 4 and 5 floats", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Residual_add_refuses_overlapping_spans()
    {
        var buffer = new float[8];
        Assert.Throws<ArgumentException>(() => NetworkOps.AddInPlace(buffer.AsSpan(0, 4), buffer.AsSpan(2, 4), Activation.None, 0.01f));
    }
}
