using System;
using Xunit;

namespace ConvGen.Layers.Tests;

/// <summary>What every generated layer promises beyond the numbers: constants, constructors, and clear errors.</summary>
public class LayerContractTests
{
    [Fact]
    public void Seed_stem_constants_follow_the_shape_arithmetic()
    {
        Assert.Equal(3, Stem.KernelH);
        Assert.Equal(3, Stem.KernelW);
        Assert.Equal(2, Stem.StrideH);
        Assert.Equal(1, Stem.PadW);
        Assert.Equal(1, Stem.DilationH);
        Assert.Equal(1, Stem.Groups);
        Assert.Equal(3 * 3 * 3 * 32, Stem.WeightCount);
        Assert.Equal(3 * 3 * 3 * 32 + 32, Stem.ParameterCount);
        Assert.Equal(3, Stem.ReceptiveField);
        Assert.Equal(new TensorShape(1, 32, 112, 112), new Stem().GetOutputShape(new TensorShape(1, 3, 224, 224)));
    }

    [Fact]
    public void Static_size_gives_output_size_constants()
    {
        Assert.Equal(13, Static13x21.OutH);
        Assert.Equal(21, Static13x21.OutW);
        Assert.Equal(16, StaticStem32.OutH);
        Assert.Equal(1, StaticExactlyKernel.OutW);
        Assert.Equal(2, StaticSmallerThanKernel.OutH);
        Assert.Equal(5, StaticStrideRemainder.OutH); // floor((17 - 4 - 1) / 3) + 1
        Assert.Equal(12, StaticStrideRemainder.OutW); // floor((40 - 4 - 1) / 3) + 1
    }

    [Fact]
    public void Dilation_and_groups_show_in_constants()
    {
        Assert.Equal(7, Dilated3.ReceptiveField);
        Assert.Equal(5, DilatedW.ReceptiveFieldW);
        Assert.Equal(3, DilatedW.ReceptiveFieldH);
        Assert.Equal(6 * 1 * 9 + 6, DepthwiseMultiplier2.ParameterCount);
        Assert.Equal(6 * 2 * 9, new Groups2().Weights.Length);
        Assert.Empty(new NoBias().Bias.ToArray());
        Assert.False(NoBias.HasBias);
    }

    [Fact]
    public void Minimal_form_takes_channels_in_its_constructor()
    {
        var layer = new DynamicStem(3, 32);
        Assert.Equal(3, layer.InChannels);
        Assert.Equal(32, layer.OutChannels);
        Assert.Equal(32 * 3 * 9, layer.Weights.Length);
        Assert.Equal(32 * 3 * 9 + 32, layer.ParameterCount);
        Assert.Equal(new TensorShape(2, 32, 5, 8), layer.GetOutputShape(new TensorShape(2, 3, 10, 15)));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, -1)]
    [InlineData(3, 4)] // Groups = 2 does not divide 3
    public void Minimal_form_rejects_invalid_channel_counts(int inChannels, int outChannels)
    {
        Assert.ThrowsAny<ArgumentException>(() => new DynamicGroups(inChannels, outChannels));
    }

    [Fact]
    public void Wrong_channel_count_names_expected_and_actual()
    {
        var layer = new Stem();
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[4 * 8 * 8], new TensorShape(1, 4, 8, 8), new float[32 * 16]));
        Assert.Contains("expects 3 input channels", e.Message);
        Assert.Contains("C = 4", e.Message);
        Assert.Contains("Stem", e.Message);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(1, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 1)]
    public void Span_lengths_must_match_exactly(int inputDelta, int outputDelta)
    {
        var layer = new K3P1S1();
        var shape = new TensorShape(2, 4, 6, 7);
        int inLength = (int)shape.ElementCount + inputDelta;
        int outLength = 2 * 8 * 6 * 7 + outputDelta;
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new float[inLength], shape, new float[outLength]));
        Assert.Contains((inputDelta != 0 ? inLength : outLength).ToString(), e.Message);
        Assert.Contains((inputDelta != 0 ? shape.ElementCount : 2 * 8 * 6 * 7).ToString(), e.Message);
    }

    [Fact]
    public void Static_size_layer_rejects_another_size()
    {
        var layer = new Static13x21();
        var e = Assert.Throws<ArgumentException>(() => layer.GetOutputShape(new TensorShape(1, 5, 13, 20)));
        Assert.Contains("13 x 21", e.Message);
        Assert.Contains("13 x 20", e.Message);
    }

    [Fact]
    public void Input_too_small_even_when_padded_is_rejected_with_the_numbers()
    {
        var layer = new K5P2S1();
        // 5 + 2*2 = 9 >= 5 fits; but 0 rows do not exist, and a 5x5 kernel without padding needs 5 rows.
        var unpadded = new Stride3();
        var e = Assert.Throws<ArgumentException>(() => unpadded.GetOutputShape(new TensorShape(1, 5, 2, 9)));
        Assert.Contains("height 2", e.Message);
        Assert.Contains("= 3", e.Message);
        Assert.Equal(new TensorShape(1, 5, 1, 1), layer.GetOutputShape(new TensorShape(1, 3, 1, 1)));
    }

    [Fact]
    public void Input_smaller_than_kernel_but_fitting_once_padded_is_valid()
    {
        Numerics.AssertMatchesReference(new K5P2S1(), new TensorShape(1, 3, 2, 3), seed: 5);
    }

    [Fact]
    public void Non_positive_dimensions_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Stem().GetOutputShape(new TensorShape(0, 3, 8, 8)));
        Assert.Throws<ArgumentException>(() => new Stem().GetOutputShape(new TensorShape(1, 3, -8, 8)));
    }

    [Fact]
    public void Weight_writes_are_honored_by_the_next_forward()
    {
        var layer = new K3P1S1();
        var shape = new TensorShape(1, 4, 9, 20);
        Numerics.AssertMatchesReference(layer, shape, seed: 1);
        layer.Weights[5] = 42f;
        layer.Bias[3] = -7f;
        var input = new float[shape.ElementCount];
        Numerics.Fill(input, new Random(2));
        TensorShape o = layer.GetOutputShape(shape);
        var expected = new float[o.ElementCount];
        var actual = new float[o.ElementCount];
        ConvReference.Conv2d(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        layer.Forward(input, shape, actual);
        Numerics.AssertClose(expected, actual, "after writing weights");
    }

    [Fact]
    public void Forward_allocates_nothing_after_the_first_call()
    {
        var layer = new Stem();
        var shape = new TensorShape(2, 3, 64, 64);
        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, shape, output)));
    }

    [Fact]
    public void Layers_compose_through_the_interface()
    {
        IConvLayer[] stack = { new Stem(), new DynamicGroups(32, 8), new DynamicPointwise(8, 3) };
        var shape = new TensorShape(1, 3, 31, 29);
        var random = new Random(9);
        float[] data = new float[shape.ElementCount];
        Numerics.Fill(data, random);
        float[] reference = (float[])data.Clone();
        TensorShape refShape = shape;
        foreach (IConvLayer layer in stack)
        {
            Numerics.Fill(layer.Weights, random);
            Numerics.Fill(layer.Bias, random);
            TensorShape next = layer.GetOutputShape(shape);
            var output = new float[next.ElementCount];
            layer.Forward(data, shape, output);
            var refOut = new float[next.ElementCount];
            ConvReference.Conv2d(layer.Geometry, reference, refShape, layer.Weights, layer.Bias, refOut);
            (data, shape, reference, refShape) = (output, next, refOut, next);
        }

        Assert.Equal(new TensorShape(1, 3, 16, 15), shape);
        Numerics.AssertClose(reference, data, "stack");
    }

    [Fact]
    public void Threaded_forward_allocates_nothing_on_the_calling_thread_after_the_first_calls()
    {
        // The worker side is pinned by the runtime tests (WorkerPoolTests), with a kernel that reads its own thread.
        var layer = new K3P1S1 { Threads = 2 };
        var shape = new TensorShape(2, 4, 128, 128);
        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        for (int i = 0; i < 20; i++)
        {
            layer.Forward(input, shape, output); // the first calls also start the workers
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, shape, output), calls: 20));
    }
}
