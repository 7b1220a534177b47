using System;
using System.Globalization;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>Test data and the comparison every kernel test uses.</summary>
internal static class Tensors
{
    /// <summary>0, 1, 2, ... count − 1: the ONNX conformance inputs.</summary>
    public static float[] Ramp(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = i;
        }

        return values;
    }

    /// <summary>Uniform in [−1, 1), reproducible from <paramref name="rng"/>'s seed.</summary>
    public static float[] Random(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>
    /// Runs <paramref name="layer"/> into an output pre-filled with NaN, so that a pixel the kernel forgets to write
    /// fails the comparison instead of passing as a leftover zero.
    /// </summary>
    public static float[] Forward(IConvLayer layer, float[] input, TensorShape inputShape)
    {
        TensorShape outputShape = layer.GetOutputShape(inputShape);
        var output = new float[outputShape.ElementCount];
        output.AsSpan().Fill(float.NaN);
        layer.Forward(input, inputShape, output);
        return output;
    }

    public static float[] Reference(ConvGeometry g, float[] input, TensorShape inputShape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        TensorShape outputShape = Internal.LayerGuard.OutputShape(g, inputShape, "reference");
        var output = new float[outputShape.ElementCount];
        output.AsSpan().Fill(float.NaN);
        ConvReference.Conv2d(g, input, inputShape, weights, bias, output);
        return output;
    }

    /// <summary>
    /// Gives <paramref name="layer"/> seeded random weights (times <paramref name="weightScale"/>) and bias, runs it and
    /// <see cref="ConvReference.Run"/> on a seeded random input, and compares.
    /// </summary>
    public static void AssertLayerMatchesReference(IConvLayer layer, TensorShape inputShape, int seed, float weightScale = 1f)
    {
        var rng = new Random(seed);
        float[] weights = Random(rng, layer.Weights.Length);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= weightScale;
        }

        weights.CopyTo(layer.Weights);
        Random(rng, layer.Bias.Length).CopyTo(layer.Bias);
        float[] input = Random(rng, (int)inputShape.ElementCount);
        var expected = new float[layer.GetOutputShape(inputShape).ElementCount];
        ConvReference.Run(layer.Geometry, input, inputShape, layer.Weights, layer.Bias, expected);
        AssertClose(expected, Forward(layer, input, inputShape), $"{layer.Geometry} on {inputShape}");
    }

    /// <summary>|actual − expected| ≤ 1e-4 · max(1, max |expected|) everywhere, and the lengths agree.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context)
    {
        Assert.True(expected.Length == actual.Length,
            $"{context}: expected {expected.Length} values, got {actual.Length}.");
        float scale = 1f;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        float tolerance = 1e-4f * scale;
        for (int i = 0; i < expected.Length; i++)
        {
            // Written so that NaN in either side fails.
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture,
                    "{0}: element {1} is {2}, expected {3} (tolerance {4}).", context, i, actual[i], expected[i], tolerance));
            }
        }
    }
}
