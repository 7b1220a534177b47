using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>
/// The generated backward pass of every convolution layer the forward tests cover (every kind, dimension, padding
/// rule and mode, activation, static and dynamic sizes and channels) against <see cref="ConvReference.Backward"/>,
/// the double-precision chain rule that is itself checked against central differences and PyTorch autograd.
/// </summary>
public class ConvLayerBackwardTests
{
    private static readonly Func<IConvLayer>[] s_plain =
    {
        () => new K3P1S1(), () => new K5P2S1(), () => new K1P0S1(), () => new Stem(), () => new Rect3x5(), () => new Row1x7(),
        () => new Dilated2(), () => new DilatedW(), () => new Stride3(), () => new StrideW2(), () => new Stride2Dilated2(),
        () => new PadLargerThanKernel(), () => new Even4S2(), () => new K7S2(), () => new NoBias(), () => new Groups2(),
        () => new Depthwise5(), () => new DepthwiseMultiplier2(), () => new Depthwise17S2(), () => new Static13x21(),
        () => new StaticStem32(), () => new StaticExactlyKernel(), () => new StaticStrideRemainder(), () => new StaticWidthOnly(),
        () => new DynamicStem(3, 4), () => new DynamicGroups(4, 6), () => new DynamicPointwise(3, 5), () => new DynamicDilated(2, 3),
        () => new Fallback9x9(),
    };

    private static IConvLayer Create(int index)
        => index < s_plain.Length ? s_plain[index]() : FamilyLayerTests.s_layers[index - s_plain.Length]();

    public static IEnumerable<object[]> Layers()
        => Enumerable.Range(0, s_plain.Length + FamilyLayerTests.s_layers.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Layers))]
    public void Generated_backward_matches_the_reference_gradients(int index)
    {
        IConvLayer layer = Create(index);
        var trainable = (ITrainableLayer)layer;
        ConvGeometry g = layer.Geometry;
        var rng = new Random(1000 + index);
        Fill(rng, layer.Weights);
        Fill(rng, layer.Bias);
        int tested = 0;
        foreach (int batch in new[] { 1, 2 })
        {
            foreach (TensorShape shape in Shapes(layer, batch))
            {
                TensorShape outputShape;
                try
                {
                    outputShape = layer.GetOutputShape(shape);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                var input = new float[shape.ElementCount];
                Fill(rng, input);
                var output = new float[outputShape.ElementCount];
                layer.Forward(input, shape, output);
                var outputGradient = new float[output.Length];
                Fill(rng, outputGradient);

                var dx = new float[input.Length];
                var dw = new float[g.WeightCount];
                var db = new float[layer.Bias.Length];
                ConvReference.Backward(g, input, shape, layer.Weights, layer.Bias, outputGradient, dx, dw, db);

                foreach (Parameter p in trainable.Parameters)
                {
                    p.ZeroGradient();
                }

                var actual = new float[input.Length];
                actual.AsSpan().Fill(float.NaN);
                trainable.Backward(input, shape, output, outputGradient, actual);
                string what = $"{layer.GetType().Name} {g} on {shape}";
                Numerics.AssertClose(dx, actual, what + ": input gradient");
                Numerics.AssertClose(dw, WeightGradient(trainable), what + ": weight gradient");
                Numerics.AssertClose(db, BiasGradient(trainable), what + ": bias gradient");
                tested++;
            }
        }

        Assert.True(tested >= 1, $"no shape fits {g}");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Backward_accumulates_parameter_gradients_and_can_skip_the_input_gradient(int index)
    {
        IConvLayer layer = Create(index);
        var trainable = (ITrainableLayer)layer;
        var rng = new Random(2000 + index);
        Fill(rng, layer.Weights);
        Fill(rng, layer.Bias);
        TensorShape shape = Shapes(layer, 2).Last(s => Fits(layer, s));
        var input = new float[shape.ElementCount];
        Fill(rng, input);
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        layer.Forward(input, shape, output);
        var outputGradient = new float[output.Length];
        Fill(rng, outputGradient);

        foreach (Parameter p in trainable.Parameters)
        {
            p.ZeroGradient();
        }

        trainable.Backward(input, shape, output, outputGradient, new float[input.Length]);
        float[] once = trainable.Parameters.SelectMany(p => p.Gradient).ToArray();
        trainable.Backward(input, shape, output, outputGradient, Span<float>.Empty);
        float[] twice = trainable.Parameters.SelectMany(p => p.Gradient).ToArray();
        Numerics.AssertClose(once.Select(v => 2 * v).ToArray(), twice, $"{layer.GetType().Name}: second Backward without input gradient");
    }

    [Fact]
    public void Backward_with_a_wrong_output_gradient_length_names_both_sizes()
    {
        var layer = new K3P1S1();
        var shape = new TensorShape(1, 4, 5, 6);
        var input = new float[shape.ElementCount];
        var output = new float[8 * 5 * 6];
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(input, shape, output, new float[output.Length - 1], new float[input.Length]));
        Assert.Contains("K3P1S1", ex.Message);
        Assert.Contains((output.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.Contains(output.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Backward_with_a_wrong_input_gradient_length_names_both_sizes()
    {
        var layer = new Stem();
        var shape = new TensorShape(2, 3, 9, 9);
        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(input, shape, output, new float[output.Length], new float[input.Length + 3]));
        Assert.Contains("input gradient", ex.Message);
        Assert.Contains((input.Length + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Parameters_carry_PyTorch_names_and_shapes()
    {
        Assert.Equal(new[] { "weight [8, 4, 3, 3]", "bias [8]" }, new K3P1S1().Parameters.Select(p => p.ToString()));
        Assert.Equal(new[] { "weight [6, 2, 3, 3]" }, new NoBiasGroups().Parameters.Select(p => p.ToString()));
        Assert.Equal(new[] { "weight [4, 3, 3, 3]", "bias [3]" }, new UpGradient().Parameters.Select(p => p.ToString()));
        Assert.Equal(new[] { "depthwise.weight [8, 1, 3, 3]", "pointwise.weight [16, 8, 1, 1]", "pointwise.bias [16]" }, new Sep3().Parameters.Select(p => p.ToString()));
    }

    private static bool Fits(IConvLayer layer, TensorShape shape)
    {
        try
        {
            layer.GetOutputShape(shape);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A few sizes per layer (the backward reference is slow): below, at and past one vector.</summary>
    private static IEnumerable<TensorShape> Shapes(IConvLayer layer, int batch)
    {
        TensorShape[] all = FamilyLayerTests.Shapes(layer.Geometry, batch).ToArray();
        if (all.Length == 0 || layer.Geometry.StaticInW != 0 || layer.Geometry.Dimensions == 2 && layer.Geometry.StaticInH != 0)
        {
            return StaticShapes(layer, batch).Concat(all).Distinct().Take(1);
        }

        // Sizes 1, 4, 9, 17 and 33 on the last axis.
        return all.Where(s => s.W is 1 or 4 or 9 or 17 or 33);
    }

    private static IEnumerable<TensorShape> StaticShapes(IConvLayer layer, int batch)
    {
        ConvGeometry g = layer.Geometry;
        if (g.StaticInH != 0 && g.StaticInW != 0)
        {
            yield return g.Dimensions == 3
                ? new TensorShape(batch, g.InChannels, g.StaticInD, g.StaticInH, g.StaticInW)
                : new TensorShape(batch, g.InChannels, g.StaticInH, g.StaticInW);
        }
        else if (g.StaticInW != 0)
        {
            yield return g.Dimensions == 1 ? new TensorShape(batch, g.InChannels, g.StaticInW) : new TensorShape(batch, g.InChannels, 7, g.StaticInW);
        }
    }

    private static float[] WeightGradient(ITrainableLayer layer)
        => layer.Parameters.Where(p => !p.Name.EndsWith("bias", StringComparison.Ordinal)).SelectMany(p => p.Gradient).ToArray();

    private static float[] BiasGradient(ITrainableLayer layer)
        => layer.Parameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).SelectMany(p => p.Gradient).ToArray();

    private static void Fill(Random rng, Span<float> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(rng.NextDouble() * 2 - 1);
        }
    }
}

[ConvLayer(K = 3, P = 1, Groups = 2, InChannels = 4, OutChannels = 6, Bias = false)] public partial class NoBiasGroups { }
[ConvTransposeLayer(K = 3, S = 2, P = 1, InChannels = 4, OutChannels = 3)] public partial class UpGradient { }
