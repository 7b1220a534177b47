using System;
using Xunit;

namespace ConvGen.Layers.Tests;

// ONNX backend node cases (onnx/backend/test/case/node/conv.py, convtranspose.py) as generated layers: ramp inputs,
// all-ones weights, no bias, and the expected outputs the ONNX suite lists (restated in
// ../shared/conformance/onnx-conv-cases.md), so the generated kernels answer to an independent source directly.
[ConvLayer(K = 3, P = 1, InChannels = 1, OutChannels = 1, InH = 5, InW = 5, Bias = false)] public partial class OnnxCase1 { }
[ConvLayer(K = 3, S = 2, Ph = 1, Pw = 0, InChannels = 1, OutChannels = 1, InH = 7, InW = 5, Bias = false)] public partial class OnnxCase5 { }
[ConvLayer(K = 3, S = 2, Padding = PaddingRule.SameLower, InChannels = 1, OutChannels = 1, InH = 5, InW = 5, Bias = false)] public partial class OnnxCase6 { }
[ConvTransposeLayer(K = 3, InChannels = 1, OutChannels = 2, InH = 3, InW = 3, Bias = false)] public partial class OnnxCase7 { }
[ConvTranspose1dLayer(K = 3, InChannels = 1, OutChannels = 2, InL = 3, Bias = false)] public partial class OnnxCase8 { }
[ConvTransposeLayer(K = 3, Sh = 3, Sw = 2, OutputPaddingH = 1, OutputPaddingW = 1, InChannels = 1, OutChannels = 2, InH = 3, InW = 3, Bias = false)] public partial class OnnxCase11 { }
[ConvTransposeLayer(K = 3, Sh = 3, Sw = 2, Ph = 1, Pw = 2, InChannels = 1, OutChannels = 2, InH = 3, InW = 3, Bias = false)] public partial class OnnxCase13 { }
[ConvTransposeLayer(K = 3, S = 2, Padding = PaddingRule.Same, InChannels = 1, OutChannels = 2, InH = 3, InW = 3, Bias = false)] public partial class OnnxCase15 { }
[ConvTransposeLayer(K = 3, Groups = 2, InChannels = 2, OutChannels = 2, InH = 3, InW = 3, Bias = false)] public partial class OnnxCase16 { }

public class OnnxGeneratedTests
{
    private static readonly float[] s_case7Channel =
    {
        0, 1, 3, 3, 2,
        3, 8, 15, 12, 7,
        9, 21, 36, 27, 15,
        9, 20, 33, 24, 13,
        6, 13, 21, 15, 8,
    };

    private static float[] Ramp(int from, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = from + i;
        }

        return values;
    }

    private static float[] Twice(float[] channel)
    {
        var both = new float[2 * channel.Length];
        channel.CopyTo(both, 0);
        channel.CopyTo(both, channel.Length);
        return both;
    }

    private static void Check(IConvLayer layer, TensorShape shape, float[] input, float[] expected)
    {
        layer.Weights.Fill(1f);
        TensorShape output = layer.GetOutputShape(shape);
        Assert.Equal(expected.Length, output.ElementCount);
        var actual = new float[output.ElementCount];
        actual.AsSpan().Fill(float.NaN);
        layer.Forward(input, shape, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5f, $"{layer.GetType().Name}: element {i} is {actual[i]}, expected {expected[i]}.");
        }
    }

    [Fact]
    public void Case_1_basic_conv_with_padding()
        => Check(new OnnxCase1(), new TensorShape(1, 1, 5, 5), Ramp(0, 25),
            new float[] { 12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123, 84 });

    [Fact]
    public void Case_5_strides_and_asymmetric_padding()
        => Check(new OnnxCase5(), new TensorShape(1, 1, 7, 5), Ramp(0, 35), new float[] { 21, 33, 99, 117, 189, 207, 171, 183 });

    [Fact]
    public void Case_6_auto_pad_same_lower()
        => Check(new OnnxCase6(), new TensorShape(1, 1, 5, 5), Ramp(0, 25), new float[] { 12, 27, 24, 63, 108, 81, 72, 117, 84 });

    [Fact]
    public void Case_7_convtranspose()
        => Check(new OnnxCase7(), new TensorShape(1, 1, 3, 3), Ramp(0, 9), Twice(s_case7Channel));

    [Fact]
    public void Case_8_convtranspose_1d()
        => Check(new OnnxCase8(), new TensorShape(1, 1, 3), Ramp(0, 3), new float[] { 0, 1, 3, 3, 2, 0, 1, 3, 3, 2 });

    [Fact]
    public void Case_11_convtranspose_output_padding()
        => Check(new OnnxCase11(), new TensorShape(1, 1, 3, 3), Ramp(0, 9), Twice(new float[]
        {
            0, 0, 1, 1, 3, 2, 2, 0, 0, 0, 1, 1, 3, 2, 2, 0, 0, 0, 1, 1, 3, 2, 2, 0,
            3, 3, 7, 4, 9, 5, 5, 0, 3, 3, 7, 4, 9, 5, 5, 0, 3, 3, 7, 4, 9, 5, 5, 0,
            6, 6, 13, 7, 15, 8, 8, 0, 6, 6, 13, 7, 15, 8, 8, 0, 6, 6, 13, 7, 15, 8, 8, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
        }));

    [Fact]
    public void Case_13_convtranspose_pads()
        => Check(new OnnxCase13(), new TensorShape(1, 1, 3, 3), Ramp(0, 9),
            Twice(new float[] { 1, 1, 3, 1, 1, 3, 7, 4, 9, 7, 4, 9, 7, 4, 9, 13, 7, 15, 13, 7, 15 }));

    [Fact]
    public void Case_15_convtranspose_auto_pad_same_upper()
        => Check(new OnnxCase15(), new TensorShape(1, 1, 3, 3), Ramp(0, 9), Twice(new float[]
        {
            0, 0, 1, 1, 3, 2, 0, 0, 1, 1, 3, 2, 3, 3, 8, 5, 12, 7, 3, 3, 7, 4, 9, 5, 9, 9, 20, 11, 24, 13, 6, 6, 13, 7, 15, 8,
        }));

    [Fact]
    public void Case_16_convtranspose_group_2()
    {
        float[] channel1 = { 9, 19, 30, 21, 11, 21, 44, 69, 48, 25, 36, 75, 117, 81, 42, 27, 56, 87, 60, 31, 15, 31, 48, 33, 17 };
        var expected = new float[50];
        s_case7Channel.CopyTo(expected, 0);
        channel1.CopyTo(expected, 25);
        Check(new OnnxCase16(), new TensorShape(1, 2, 3, 3), Ramp(0, 18), expected);
    }
}
