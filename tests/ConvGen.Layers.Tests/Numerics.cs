using System;
using System.Collections.Generic;
using Xunit;

namespace ConvGen.Layers.Tests;

/// <summary>Random data and the comparison against the reference, shared by the layer tests.</summary>
internal static class Numerics
{
    public static void Fill(Span<float> data, Random random)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 2 - 1);
        }
    }

    /// <summary>Fills every weight and bias of a network's layers (convolution and linear) with random values in [-1, 1).</summary>
    public static void FillParameters(IEnumerable<(string Name, ILayer Layer)> modules, Random random)
    {
        foreach ((string _, ILayer layer) in modules)
        {
            if (layer is IConvLayer conv)
            {
                Fill(conv.Weights, random);
                Fill(conv.Bias, random);
            }
            else if (layer is ILinearLayer linear)
            {
                Fill(linear.Weights, random);
                Fill(linear.Bias, random);
            }
        }
    }

    /// <summary>Fills the layer's parameters, runs it and the reference on random input, and compares within 1e-4 relative.</summary>
    public static void AssertMatchesReference(IConvLayer layer, TensorShape inputShape, int seed)
    {
        var random = new Random(seed);
        Fill(layer.Weights, random);
        Fill(layer.Bias, random);
        var input = new float[inputShape.ElementCount];
        Fill(input, random);

        TensorShape outputShape = layer.GetOutputShape(inputShape);
        var expected = new float[outputShape.ElementCount];
        ConvReference.Conv2d(layer.Geometry, input, inputShape, layer.Weights, layer.Bias, expected);

        var actual = new float[outputShape.ElementCount];
        Array.Fill(actual, float.NaN); // every output must be written
        layer.Forward(input, inputShape, actual);
        AssertClose(expected, actual, $"{layer.GetType().Name} {layer.Geometry} on {inputShape}");
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = 1;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        double tolerance = 1e-4 * scale;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]} but the reference gives {expected[i]} (tolerance {tolerance:G3}).");
            }
        }
    }
}
