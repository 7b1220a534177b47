using System;
using Xunit;

namespace ConvGen.Layers.Tests.Networks;

/// <summary>The constants, memory plan and forward-pass contract of generated networks.</summary>
public sealed class NetworkContractTests
{
    [Fact]
    public void LeNet_constants_follow_from_the_layer_arithmetic()
    {
        // 28 -conv5 p2-> 28 -pool2-> 14 -conv5-> 10 -pool2-> 5; 16*5*5 = 400 features.
        Assert.Equal((6, 28, 28), (LeNet.Shapes.conv1.Channels, LeNet.Shapes.conv1.Height, LeNet.Shapes.conv1.Width));
        Assert.Equal((6, 14, 14), (LeNet.Shapes.pool1.Channels, LeNet.Shapes.pool1.Height, LeNet.Shapes.pool1.Width));
        Assert.Equal((16, 10, 10), (LeNet.Shapes.conv2.Channels, LeNet.Shapes.conv2.Height, LeNet.Shapes.conv2.Width));
        Assert.Equal(400, LeNet.Shapes.flatten.Features);
        Assert.Equal(10, LeNet.OutputSize);

        // MACs: conv = outputs * Cin * K*K, linear = in * out.
        long macs = 6L * 28 * 28 * 1 * 25 + 16L * 10 * 10 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10;
        Assert.Equal(LeNet.MultiplyAccumulates, macs);

        // 1 + (5-1)*1 + (2-1)*1 + (5-1)*2 + (2-1)*2 = 16: the strides of the pools multiply later kernels.
        Assert.Equal(16, LeNet.ReceptiveField);

        // The arena holds every layer's input and output at once: conv1's [6,28,28] output next to pool1's [6,14,14].
        Assert.Equal(6 * 28 * 28 + 6 * 14 * 14, LeNet.ScratchSize);
        Assert.Equal(6 * 28 * 28 + 6 * 14 * 14, LeNet.PeakActivationSize); // pool1 reads conv1's output while writing its own
        Assert.True(LeNet.ScratchSize <= LeNet.PingPongScratchSize);
        Assert.Contains("conv1", LeNet.Summary, StringComparison.Ordinal);
        Assert.Contains("Receptive field: 16x16", LeNet.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Mobile_receptive_field_grows_with_both_strides()
    {
        // stem k3 s2: 3; separable k3 at jump 2: 3 + 2*2 = 7; depthwise k3 s2 at jump 2: 7 + 2*2 = 11; 1x1 adds 0.
        Assert.Equal(11, MobileNet.ReceptiveField);
        Assert.Equal(64, MobileNet.Shapes.flatten.Features);
    }

    [Fact]
    public void Residual_keeps_its_source_alive_and_plans_around_it()
    {
        // stem's [16, 16, 16] output must survive conv1 to be added after conv2: three 4096-float outputs alive at once
        // (stem, conv1, conv2), which the arena holds; pool reads conv2 after that.
        Assert.Equal(3 * 4096, ResidualNet.ScratchSize);
        Assert.Equal(3 * 4096, ResidualNet.PeakActivationSize);
        Assert.Contains("+ stem, ReLU", ResidualNet.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_with_caller_scratch_allocates_nothing()
    {
        var network = new MobileNet();
        var random = new Random(5);
        Numerics.FillParameters(network.Modules(), random);

        foreach (int batch in new[] { 1, 3 })
        {
            var input = new float[batch * MobileNet.InputSize];
            var output = new float[batch * MobileNet.OutputSize];
            var scratch = new float[MobileNet.ScratchLength(batch)];
            Numerics.Fill(input, random);
            long allocated = SteadyState.AllocatedBytes(() => network.Forward(input, output, batch, scratch), calls: 1);
            Assert.True(allocated == 0, $"batch {batch}: {allocated} bytes allocated");
        }
    }

    [Fact]
    public void Wrong_spans_name_expected_and_actual_lengths()
    {
        var network = new LeNet();
        var output = new float[2 * LeNet.OutputSize];
        ArgumentException e = Assert.Throws<ArgumentException>(() => network.Forward(new float[100], output, 2, new float[LeNet.ScratchLength(2)]));
        Assert.Contains("input span has 100 elements but a batch of 2 needs exactly 2 x 784 = 1568", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => network.Forward(new float[2 * 784], output, 2, new float[10]));
        Assert.Contains("scratch span has 10 elements", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => network.GetOutputShape(new TensorShape(1, 3, 28, 28)));
        Assert.Contains("expects input shape", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Owned_scratch_forward_gives_the_same_output_as_caller_scratch()
    {
        var network = new LeNet();
        var random = new Random(9);
        Numerics.FillParameters(network.Modules(), random);

        var input = new float[3 * LeNet.InputSize];
        Numerics.Fill(input, random);
        var a = new float[3 * LeNet.OutputSize];
        var b = new float[3 * LeNet.OutputSize];
        network.Forward(input, a, 3);
        network.Forward(input, b, 3, new float[LeNet.ScratchLength(3)]);
        Assert.Equal(a, b);
        Assert.Contains(a, v => v != 0);
    }
}
