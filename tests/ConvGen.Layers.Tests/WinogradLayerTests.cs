using System;
using System.Collections.Generic;
using Xunit;

namespace ConvGen.Layers.Tests;

// 3x3 stride-1 layers with at least 16 channels each side and a static size run Winograd F(4x4,3x3) on their vector
// paths. These cover the edges of its tiling: outputs that are not multiples of 4, filter counts that are not
// multiples of the GEMM tile, tile rows wider than one vector, no padding and padding 2.
[ConvLayer(K = 3, P = 1, InChannels = 32, OutChannels = 40, InH = 13, InW = 21)] public partial class Winograd13x21 { }
[ConvLayer(K = 3, InChannels = 32, OutChannels = 32, InH = 18, InW = 30, Bias = false)] public partial class WinogradNoPadding { }
[ConvLayer(K = 3, P = 2, InChannels = 33, OutChannels = 35, InH = 9, InW = 40)] public partial class WinogradPad2 { }
[ConvLayer(K = 3, P = 1, InChannels = 32, OutChannels = 48, InH = 6, InW = 70)] public partial class WinogradWideRows { }
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 17, InH = 11, InW = 9)] public partial class WinogradFewChannels { }
[ConvLayer(K = 3, P = 1, InChannels = 32, OutChannels = 40, InH = 13, InW = 21, Winograd = false)] public partial class WinogradTurnedOff { }
[ConvLayer(K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 56, InW = 56)] public partial class WinogradC64x56 { }

public class WinogradLayerTests
{
    public static IEnumerable<object[]> Layers() => new[]
    {
        new object[] { new Winograd13x21() },
        new object[] { new WinogradNoPadding() },
        new object[] { new WinogradPad2() },
        new object[] { new WinogradWideRows() },
        new object[] { new WinogradFewChannels() },
        new object[] { new WinogradTurnedOff() },
        new object[] { new WinogradC64x56() },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Winograd_layer_matches_the_direct_reference(IConvLayer layer)
    {
        ConvGeometry g = layer.Geometry;
        Numerics.AssertMatchesReference(layer, new TensorShape(1, g.InChannels, g.StaticInH, g.StaticInW), seed: 31);
        Numerics.AssertMatchesReference(layer, new TensorShape(3, g.InChannels, g.StaticInH, g.StaticInW), seed: 32);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Winograd_layer_split_over_threads_matches_the_reference(IConvLayer layer)
    {
        ConvGeometry g = layer.Geometry;
        foreach (int threads in new[] { 2, 3 })
        {
            layer.Threads = threads;
            Numerics.AssertMatchesReference(layer, new TensorShape(1, g.InChannels, g.StaticInH, g.StaticInW), seed: 40 + threads);
            Numerics.AssertMatchesReference(layer, new TensorShape(2, g.InChannels, g.StaticInH, g.StaticInW), seed: 50 + threads);
        }
    }

    [Fact]
    public void Weights_written_through_a_span_held_across_calls_are_used_by_the_next_forward()
    {
        // The transformed weights are cached; a write through a span taken before the previous Forward must still
        // reach the next one, with no call to the Weights getter in between.
        var layer = new Winograd13x21();
        var shape = new TensorShape(1, 32, 13, 21);
        Span<float> weights = layer.Weights;
        var random = new Random(7);
        Numerics.Fill(weights, random);
        Numerics.Fill(layer.Bias, random);
        var input = new float[shape.ElementCount];
        Numerics.Fill(input, random);
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        layer.Forward(input, shape, output);

        weights[5] += 1f;
        weights[weights.Length - 1] = -3f;
        layer.Forward(input, shape, output);

        var expected = new float[output.Length];
        ConvReference.Conv2d(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        Numerics.AssertClose(expected, output, "Winograd layer after a weight write");
    }

    [Fact]
    public void Forward_allocates_nothing_after_the_first_call_and_does_not_repack_unchanged_weights()
    {
        var layer = new Winograd13x21 { Threads = 1 };
        var shape = new TensorShape(2, 32, 13, 21);
        Numerics.Fill(layer.Weights, new Random(3));
        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, shape, output)));

        // A changed weight is repacked into the same buffers: no allocation once the repacking code is compiled.
        int changed = 0;
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            layer.Weights[changed++] += 1f;
            layer.Forward(input, shape, output);
        }, calls: 1));
    }

    [Fact]
    public void Winograd_is_exact_on_integer_ramps()
    {
        // Small integers keep every product and sum exact in float for the direct method; Winograd's transforms add
        // rounding of their own, which must stay far inside the comparison's tolerance.
        var layer = new WinogradNoPadding();
        var shape = new TensorShape(1, 32, 18, 30);
        Span<float> w = layer.Weights;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = i % 7 - 3;
        }

        var input = new float[shape.ElementCount];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = i % 11 - 5;
        }

        var output = new float[layer.GetOutputShape(shape).ElementCount];
        layer.Forward(input, shape, output);
        var expected = new float[output.Length];
        ConvReference.Conv2d(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        for (int i = 0; i < output.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-3 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: {output[i]} vs {expected[i]}");
        }
    }
}
