using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The ONNX backend's deterministic 2-D Conv node cases (onnx/backend/test/case/node/conv.py, cases 1-6 of
/// shared/conformance/onnx-conv-cases.md): ramp inputs and all-ones 3×3 weights, so the expected outputs are exact
/// sums. ONNX pads are [begin H, begin W, end H, end W], so case 5's [1,0,1,0] is 1 row above and below and no
/// columns. Case 6 is auto_pad SAME_LOWER; its total padding is even, so two more cases with an odd total tell
/// SAME_UPPER (<see cref="PaddingRule.Same"/>) from SAME_LOWER.
/// </summary>
public class OnnxConformanceTests
{
    private static ConformanceCase Case(int inH, int inW, ConvGeometry g, int outH, int outW, float[] expected) => new(
        g, new TensorShape(1, 1, inH, inW), Tensors.Ramp(inH * inW), Conformance.Filled(9, 1f), [],
        new TensorShape(1, 1, outH, outW), expected);

    private static ConvGeometry Ones3x3(int stride, int padH, int padW)
        => new(1, 1, 3, 3, stride, stride, padH, padW, HasBias: false);

    private static readonly Dictionary<string, ConformanceCase> s_cases = new()
    {
        ["1 basic with padding"] = Case(5, 5, Ones3x3(1, 1, 1), 5, 5,
        [
            12, 21, 27, 33, 24,
            33, 54, 63, 72, 51,
            63, 99, 108, 117, 81,
            93, 144, 153, 162, 111,
            72, 111, 117, 123, 84,
        ]),
        ["2 basic without padding"] = Case(5, 5, Ones3x3(1, 0, 0), 3, 3,
        [
            54, 63, 72,
            99, 108, 117,
            144, 153, 162,
        ]),
        ["3 strides and padding"] = Case(7, 5, Ones3x3(2, 1, 1), 4, 3,
        [
            12, 27, 24,
            63, 108, 81,
            123, 198, 141,
            112, 177, 124,
        ]),
        ["4 strides no padding"] = Case(7, 5, Ones3x3(2, 0, 0), 3, 2,
        [
            54, 72,
            144, 162,
            234, 252,
        ]),
        ["5 strides and asymmetric padding"] = Case(7, 5, Ones3x3(2, 0, 0) with { PadTop = 1, PadBottom = 1 }, 4, 2,
        [
            21, 33,
            99, 117,
            189, 207,
            171, 183,
        ]),
        ["6 auto_pad SAME_LOWER"] = Case(5, 5, Ones3x3(2, 0, 0) with { PaddingRule = PaddingRule.SameLower }, 3, 3,
        [
            12, 27, 24,
            63, 108, 81,
            72, 117, 84,
        ]),

        // 4×4 ramp 0..15, stride 2: output ceil(4/2) = 2, total padding (2−1)·2 + 3 − 4 = 1, odd.
        // SAME_UPPER pads 0 before, 1 after: window rows/columns 2y..2y+2, index 4 being padding.
        //   (0,0) 0+1+2+4+5+6+8+9+10 = 45   (0,1) 2+3+6+7+10+11 = 39
        //   (1,0) 8+9+10+12+13+14 = 66      (1,1) 10+11+14+15 = 50
        ["SAME_UPPER with an odd total pads at the end"] = Case(4, 4, Ones3x3(2, 0, 0) with { PaddingRule = PaddingRule.Same }, 2, 2,
        [
            45, 39,
            66, 50,
        ]),

        // SAME_LOWER pads 1 before, 0 after: window rows/columns 2y−1..2y+1, index −1 being padding.
        //   (0,0) 0+1+4+5 = 10              (0,1) 1+2+3+5+6+7 = 24
        //   (1,0) 4+5+8+9+12+13 = 51        (1,1) 5+6+7+9+10+11+13+14+15 = 90
        ["SAME_LOWER with an odd total pads at the beginning"] = Case(4, 4, Ones3x3(2, 0, 0) with { PaddingRule = PaddingRule.SameLower }, 2, 2,
        [
            10, 24,
            51, 90,
        ]),
    };

    public static TheoryData<string> AllCases => new(s_cases.Keys);


    [Theory]
    [MemberData(nameof(AllCases))]
    public void Reference_matches_onnx_backend_conv_case(string name)
        => Conformance.AssertMatches(s_cases[name], Conformance.Reference);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Conv2d_layer_matches_onnx_backend_conv_case(string name)
        => Conformance.AssertMatches(s_cases[name], Conformance.Layer(Conv2d.Create));

    [Fact]
    public void Conv2d_layer_matches_onnx_case_6_written_as_its_explicit_padding()
    {
        // SAME_LOWER on 5×5 with stride 2 pads 2 in total per axis, split 1 and 1: symmetric padding 1.
        ConformanceCase c = s_cases["6 auto_pad SAME_LOWER"] with { Geometry = Ones3x3(2, 1, 1) };

        Conformance.AssertMatches(c, Conformance.Layer(Conv2d.Create));
    }

    [Fact]
    public void Conv2d_layer_matches_onnx_case_1_for_every_image_and_channel_of_a_batch()
    {
        // Case 1 replicated over 2 images × 3 channels with depthwise groups: each plane is an independent copy.
        ConformanceCase one = s_cases["1 basic with padding"];
        var shape = new TensorShape(2, 3, 5, 5);
        IConvLayer layer = Conv2d.Create(new ConvGeometry(3, 3, 3, 3, PadH: 1, PadW: 1, Groups: 3, HasBias: false));
        layer.Weights.Fill(1f);
        float[] input = Conformance.Concat(one.Input, one.Input, one.Input, one.Input, one.Input, one.Input);

        float[] actual = Tensors.Forward(layer, input, shape);

        for (int p = 0; p < 6; p++)
        {
            Assert.Equal(one.Expected, actual.AsSpan(p * one.Expected.Length, one.Expected.Length).ToArray());
        }
    }
}
