using System;
using System.Globalization;
using ConvGen;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Runs <paramref name="geometry"/> with the given parameters on <paramref name="input"/>: the implementation under
/// test in a conformance case (the reference, or a layer from a factory).
/// </summary>
internal delegate (TensorShape Shape, float[] Values) ConvRunner(ConvGeometry geometry, float[] weights, float[] bias,
    float[] input, TensorShape inputShape);

/// <summary>One conformance case: a layer, its parameters and input, and the output an independent source expects.</summary>
internal sealed record ConformanceCase(ConvGeometry Geometry, TensorShape InputShape, float[] Input, float[] Weights,
    float[] Bias, TensorShape OutputShape, float[] Expected);

/// <summary>The implementations conformance cases run through, and the comparison they share.</summary>
internal static class Conformance
{
    /// <summary><see cref="ConvReference.Run"/> into an output pre-filled with NaN, so an unwritten element fails.</summary>
    public static (TensorShape Shape, float[] Values) Reference(ConvGeometry geometry, float[] weights, float[] bias,
        float[] input, TensorShape inputShape)
    {
        TensorShape shape = LayerGuard.OutputShape(geometry, inputShape, "test");
        var output = new float[shape.ElementCount];
        output.AsSpan().Fill(float.NaN);
        ConvReference.Run(geometry, input, inputShape, weights, bias, output);
        return (shape, output);
    }

    /// <summary>A layer made by <paramref name="create"/>, its parameters copied in, run through <see cref="IConvLayer.Forward"/>.</summary>
    public static ConvRunner Layer(Func<ConvGeometry, IConvLayer> create) => (geometry, weights, bias, input, inputShape) =>
    {
        IConvLayer layer = create(geometry);
        weights.CopyTo(layer.Weights);
        bias.CopyTo(layer.Bias);
        return (layer.GetOutputShape(inputShape), Tensors.Forward(layer, input, inputShape));
    };

    /// <summary>
    /// Runs <paramref name="c"/> through <paramref name="run"/> and checks the output shape and every value within
    /// <paramref name="tolerance"/> (absolute: the ONNX cases are small integers, exact in float).
    /// </summary>
    public static void AssertMatches(ConformanceCase c, ConvRunner run, float tolerance = 1e-5f)
    {
        (TensorShape shape, float[] actual) = run(c.Geometry, c.Weights, c.Bias, c.Input, c.InputShape);

        Assert.Equal(c.OutputShape, shape);
        Assert.Equal(c.OutputShape.ElementCount, c.Expected.Length);
        Assert.Equal(c.Expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            // Written so that NaN fails.
            if (!(Math.Abs(actual[i] - c.Expected[i]) <= tolerance))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture, "{0}: element {1} is {2}, expected {3}.",
                    c.Geometry, i, actual[i], c.Expected[i]));
            }
        }
    }

    /// <summary><paramref name="count"/> copies of <paramref name="value"/>: the ONNX cases' all-ones weights.</summary>
    public static float[] Filled(int count, float value)
    {
        var values = new float[count];
        values.AsSpan().Fill(value);
        return values;
    }

    /// <summary>The arrays one after another: a per-channel expectation repeated, or planes stacked into a batch.</summary>
    public static float[] Concat(params float[][] parts)
    {
        int length = 0;
        foreach (float[] p in parts)
        {
            length += p.Length;
        }

        var all = new float[length];
        int at = 0;
        foreach (float[] p in parts)
        {
            p.CopyTo(all, at);
            at += p.Length;
        }

        return all;
    }
}
