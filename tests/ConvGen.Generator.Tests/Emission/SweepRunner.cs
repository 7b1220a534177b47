using System;
using System.Linq;
using Xunit;

namespace ConvGen.Generator.Tests.Emission;

/// <summary>What the in-memory sweeps do with each generated layer: random parameters and input, then the reference.</summary>
internal static class SweepRunner
{
    /// <summary>Runs <paramref name="layer"/> and <see cref="ConvReference.Run"/> on one random input and compares every output.</summary>
    public static void RunOne(IConvLayer layer, TensorShape shape, Random random, string name)
    {
        Fill(layer.Weights, random);
        Fill(layer.Bias, random);
        var input = new float[shape.ElementCount];
        Fill(input, random);
        TensorShape outShape = layer.GetOutputShape(shape);
        var expected = new float[outShape.ElementCount];
        var actual = new float[outShape.ElementCount];
        Array.Fill(actual, float.NaN);
        ConvReference.Run(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        layer.Forward(input, shape, actual);
        double scale = Math.Max(1, expected.Length == 0 ? 0 : expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale,
                $"{name} on {shape}: element {i} is {actual[i]}, the reference gives {expected[i]}");
        }
    }

    private static void Fill(Span<float> data, Random random)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 2 - 1);
        }
    }
}
