using System;
using System.Collections.Generic;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The ONNX backend's deterministic 2-D Conv node cases (onnx/backend/test/case/node/conv.py): ramp inputs and all-ones
/// 3×3 weights, so the expected outputs are exact sums. Case 5's pads [1,0,1,0] are begin H, begin W, end H, end W,
/// i.e. symmetric PadH = 1, PadW = 0. Case 6 (auto_pad SAME_LOWER, stride 2 on 5×5) pads 2 in total per axis,
/// split 1 and 1, so it is expressible as symmetric padding 1 too.
/// </summary>
public class OnnxConformanceTests
{
    private sealed record OnnxCase(int InH, int InW, int PadH, int PadW, int Stride, int OutH, int OutW, float[] Expected);

    private static readonly Dictionary<int, OnnxCase> s_cases = new()
    {
        [1] = new(5, 5, 1, 1, 1, 5, 5,
        [
            12, 21, 27, 33, 24,
            33, 54, 63, 72, 51,
            63, 99, 108, 117, 81,
            93, 144, 153, 162, 111,
            72, 111, 117, 123, 84,
        ]),
        [2] = new(5, 5, 0, 0, 1, 3, 3,
        [
            54, 63, 72,
            99, 108, 117,
            144, 153, 162,
        ]),
        [3] = new(7, 5, 1, 1, 2, 4, 3,
        [
            12, 27, 24,
            63, 108, 81,
            123, 198, 141,
            112, 177, 124,
        ]),
        [4] = new(7, 5, 0, 0, 2, 3, 2,
        [
            54, 72,
            144, 162,
            234, 252,
        ]),
        [5] = new(7, 5, 1, 0, 2, 4, 2,
        [
            21, 33,
            99, 117,
            189, 207,
            171, 183,
        ]),
        [6] = new(5, 5, 1, 1, 2, 3, 3,
        [
            12, 27, 24,
            63, 108, 81,
            72, 117, 84,
        ]),
    };

    private static ConvGeometry GeometryOf(OnnxCase c)
        => new(1, 1, 3, 3, c.Stride, c.Stride, c.PadH, c.PadW, HasBias: false);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Reference_matches_onnx_backend_conv_case(int number)
    {
        OnnxCase c = s_cases[number];
        var shape = new TensorShape(1, 1, c.InH, c.InW);
        float[] ones = new float[9];
        ones.AsSpan().Fill(1f);

        float[] actual = Tensors.Reference(GeometryOf(c), Tensors.Ramp(c.InH * c.InW), shape, ones, ReadOnlySpan<float>.Empty);

        Assert.Equal(c.OutH * c.OutW, actual.Length);
        Assert.Equal(c.Expected, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Conv2d_layer_matches_onnx_backend_conv_case(int number)
    {
        OnnxCase c = s_cases[number];
        var shape = new TensorShape(1, 1, c.InH, c.InW);
        IConvLayer layer = Conv2d.Create(GeometryOf(c));
        layer.Weights.Fill(1f);

        Assert.Equal(new TensorShape(1, 1, c.OutH, c.OutW), layer.GetOutputShape(shape));
        float[] actual = Tensors.Forward(layer, Tensors.Ramp(c.InH * c.InW), shape);

        // Small integers are exact in float whatever the summation order.
        Assert.Equal(c.Expected, actual);
    }

    [Fact]
    public void Conv2d_layer_matches_onnx_case_1_for_every_image_and_channel_of_a_batch()
    {
        // Case 1 replicated over 2 images × 3 channels with depthwise groups: each plane is an independent copy.
        OnnxCase c = s_cases[1];
        var shape = new TensorShape(2, 3, c.InH, c.InW);
        IConvLayer layer = Conv2d.Create(new ConvGeometry(3, 3, 3, 3, PadH: 1, PadW: 1, Groups: 3, HasBias: false));
        layer.Weights.Fill(1f);
        float[] plane = Tensors.Ramp(c.InH * c.InW);
        float[] input = new float[shape.ElementCount];
        for (int p = 0; p < 6; p++)
        {
            plane.CopyTo(input, p * plane.Length);
        }

        float[] actual = Tensors.Forward(layer, input, shape);

        for (int p = 0; p < 6; p++)
        {
            Assert.Equal(c.Expected, actual.AsSpan(p * c.Expected.Length, c.Expected.Length).ToArray());
        }
    }
}
