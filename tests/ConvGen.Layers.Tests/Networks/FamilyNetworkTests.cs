using System;
using System.Collections.Generic;
using Xunit;

namespace ConvGen.Layers.Tests.Networks;

/// <summary>
/// A network's forward pass equals running its layers' references one after the other: the arena offsets, views and
/// shapes the generator planned move every value where the next layer expects it, for every layer kind.
/// </summary>
public sealed class FamilyNetworkTests
{
    [Fact]
    public void Encoder_decoder_with_a_transposed_layer_equals_its_layers_in_sequence()
        => AssertEqualsComposition(new AutoEncoder(), AutoEncoder.InputShape(2), AutoEncoder.OutputSize, AutoEncoder.ScratchLength(2), seed: 1,
            (net, x, y, n, s) => ((AutoEncoder)net).Forward(x, y, n, s), m => ((AutoEncoder)m).Modules());

    [Fact]
    public void Three_dimensional_network_with_pooling_and_a_head_equals_its_layers_in_sequence()
        => AssertEqualsComposition(new VolumeNet(), VolumeNet.InputShape(3), VolumeNet.OutputSize, VolumeNet.ScratchLength(3), seed: 2,
            (net, x, y, n, s) => ((VolumeNet)net).Forward(x, y, n, s), m => ((VolumeNet)m).Modules());

    [Fact]
    public void One_dimensional_upsampler_equals_its_layers_in_sequence()
        => AssertEqualsComposition(new Upsampler1d(), Upsampler1d.InputShape(2), Upsampler1d.OutputSize, Upsampler1d.ScratchLength(2), seed: 3,
            (net, x, y, n, s) => ((Upsampler1d)net).Forward(x, y, n, s), m => ((Upsampler1d)m).Modules());

    [Fact]
    public void Shape_constants_follow_the_layer_arithmetic()
    {
        // encode: floor((18 + 2 - 3) / 2) + 1 = 9, floor((22 + 2 - 3) / 2) + 1 = 11; decode: (9 - 1) * 2 - 2 + 4 = 18, 22.
        Assert.Equal((8, 9, 11), (AutoEncoder.Shapes.encode.Channels, AutoEncoder.Shapes.encode.Height, AutoEncoder.Shapes.encode.Width));
        Assert.Equal((4, 18, 22), (AutoEncoder.Shapes.decode.Channels, AutoEncoder.Shapes.decode.Height, AutoEncoder.Shapes.decode.Width));
        Assert.Equal((4, 3, 4, 5), (VolumeNet.Shapes.pool.Channels, VolumeNet.Shapes.pool.Depth, VolumeNet.Shapes.pool.Height, VolumeNet.Shapes.pool.Width));
        Assert.Equal((2, 21), (Upsampler1d.Shapes.stretch.Channels, Upsampler1d.Shapes.stretch.Length));

        // 3 + (2 - 1) * 1 = 4 through the 3x3x3 convolution and the 2x2x2 pool.
        Assert.Equal(4, VolumeNet.ReceptiveField);
    }

    private delegate void Forward(object network, float[] input, float[] output, int batch, float[] scratch);

    private static void AssertEqualsComposition(object network, TensorShape inputShape, int outputSize, int scratchLength, int seed,
        Forward forward, Func<object, (string, ILayer)[]> modules)
    {
        var random = new Random(seed);
        Numerics.FillParameters(modules(network), random);

        var input = new float[inputShape.ElementCount];
        Numerics.Fill(input, random);

        // The references, one layer at a time, each into a fresh array.
        float[] current = input;
        TensorShape shape = inputShape;
        foreach ((string name, ILayer layer) in modules(network))
        {
            TensorShape next = layer.GetOutputShape(shape);
            var output = new float[next.ElementCount];
            switch (layer)
            {
                case IConvLayer conv:
                    ConvReference.Run(conv.Geometry, current, shape, conv.Weights, conv.Bias, output);
                    break;
                case ILinearLayer linear:
                    var (activation, slope) = LinearActivation(name);
                    ConvReference.Linear(current, shape, output, linear.Weights, linear.Bias, linear.InFeatures, linear.OutFeatures, activation, slope);
                    break;
                case GlobalAvgPool:
                    ConvReference.GlobalAvgPool(current, shape, output);
                    break;
                case Avg2Any:
                    ConvReference.AvgPool(current, shape, output, 2, 2, 0, countIncludePad: true);
                    break;
                default:
                    throw new InvalidOperationException("no reference for " + layer.GetType().Name);
            }

            (current, shape) = (output, next);
        }

        var actual = new float[inputShape.N * outputSize];
        Array.Fill(actual, float.NaN);
        var scratch = new float[scratchLength];
        Array.Fill(scratch, float.NaN); // nothing may be read before the network writes it
        forward(network, input, actual, inputShape.N, scratch);
        Numerics.AssertClose(current, actual, network.GetType().Name);
    }

    /// <summary>The activation of the one linear layer these networks have (Head4: Tanh).</summary>
    private static (Activation, float) LinearActivation(string name)
        => name == "head" ? (Activation.Tanh, 0.01f) : throw new InvalidOperationException(name);
}
