using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>Weights and Bias are live views: a write is seen by the very next Forward, with no cache to invalidate.</summary>
public class ParameterWriteTests
{
    [Fact]
    public void A_new_layer_has_zero_weights_and_bias_so_it_outputs_zeros()
    {
        IConvLayer layer = Conv2d.Create(3, 5, 3, padding: 1);
        float[] output = Tensors.Forward(layer, Tensors.Ramp(3 * 6 * 9), new TensorShape(1, 3, 6, 9));

        Assert.All(output, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1, 1, 0)] // read in place
    [InlineData(1, 1, 1)] // staged
    [InlineData(2, 2, 1)] // staged, phase split, grouped
    public void Writes_to_weights_and_bias_are_honored_by_the_next_forward(int stride, int groups, int pad)
    {
        var rng = new Random(5);
        var g = new ConvGeometry(4, 8, 3, 3, stride, stride, pad, pad, Groups: groups);
        IConvLayer layer = Conv2d.Create(g);
        var shape = new TensorShape(2, 4, 9, 21);
        float[] input = Tensors.Random(rng, (int)shape.ElementCount);
        Tensors.Random(rng, layer.Weights.Length).CopyTo(layer.Weights);
        Tensors.Random(rng, layer.Bias.Length).CopyTo(layer.Bias);
        float[] before = Tensors.Forward(layer, input, shape);

        // The last weight of the last filter (second 4-channel tile) and the bias of the first filter.
        layer.Weights[layer.Weights.Length - 1] += 3f;
        layer.Bias[0] -= 7f;
        float[] after = Tensors.Forward(layer, input, shape);

        Tensors.AssertClose(Tensors.Reference(g, input, shape, layer.Weights, layer.Bias), after, "after the writes");
        Assert.NotEqual(before, after);
        TensorShape o = layer.GetOutputShape(shape);
        int plane = o.H * o.W;
        Assert.Equal(before[0] - 7f, after[0], 4);
        Assert.Equal(before[plane], after[plane]); // filter 1: untouched
    }

    [Fact]
    public void Replacing_all_weights_through_the_span_is_honored()
    {
        IConvLayer layer = Conv2d.Create(1, 1, 3, padding: 1, bias: false);
        float[] input = Tensors.Ramp(25);
        var shape = new TensorShape(1, 1, 5, 5);
        layer.Weights.Fill(1f);
        float[] ones = Tensors.Forward(layer, input, shape);

        layer.Weights.Clear();
        layer.Weights[4] = 1f; // centre tap: identity
        float[] identity = Tensors.Forward(layer, input, shape);

        Assert.Equal(12f, ones[0]);
        Assert.Equal(input, identity);
    }

    [Fact]
    public void A_layer_without_bias_has_an_empty_bias_span()
    {
        IConvLayer layer = Conv2d.Create(2, 3, 3, bias: false);

        Assert.Equal(0, layer.Bias.Length);
        Assert.Equal(3 * 2 * 9, layer.Weights.Length);
    }
}
