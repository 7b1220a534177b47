using System;
using System.Collections.Generic;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The ONNX backend's deterministic ConvTranspose node cases (onnx/backend/test/case/node/convtranspose.py, cases
/// 7-17 of shared/conformance/onnx-conv-cases.md): ramp inputs and all-ones weights [Cin, Cout/G, k...], so the
/// expected outputs are exact sums. ONNX's output_shape (cases 10 and 12) is written as the output padding it amounts
/// to: output_shape − the natural size (in − 1)·S + K.
/// </summary>
public class OnnxConvTransposeConformanceTests
{
    // Case 7's channel, which several cases repeat: the 3×3 ramp 0..8 spread by an all-ones 3×3 kernel.
    private static readonly float[] s_case7Channel =
    [
        0, 1, 3, 3, 2,
        3, 8, 15, 12, 7,
        9, 21, 36, 27, 15,
        9, 20, 33, 24, 13,
        6, 13, 21, 15, 8,
    ];

    // Case 16's second channel: the ramp 9..17 spread the same way.
    private static readonly float[] s_case16Channel1 =
    [
        9, 19, 30, 21, 11,
        21, 44, 69, 48, 25,
        36, 75, 117, 81, 42,
        27, 56, 87, 60, 31,
        15, 31, 48, 33, 17,
    ];

    // Cases 10-12: ramp 0..8, strides [3, 2], one extra row and column that only the (absent) bias reaches.
    private static readonly float[] s_case10Channel =
    [
        0, 0, 1, 1, 3, 2, 2, 0,
        0, 0, 1, 1, 3, 2, 2, 0,
        0, 0, 1, 1, 3, 2, 2, 0,
        3, 3, 7, 4, 9, 5, 5, 0,
        3, 3, 7, 4, 9, 5, 5, 0,
        3, 3, 7, 4, 9, 5, 5, 0,
        6, 6, 13, 7, 15, 8, 8, 0,
        6, 6, 13, 7, 15, 8, 8, 0,
        6, 6, 13, 7, 15, 8, 8, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
    ];

    private static ConvGeometry Transposed2d(int inChannels, int outChannels, int kernel = 3, int groups = 1)
        => ConvGeometry.ConvTranspose(2, inChannels, outChannels, kernel, groups: groups, bias: false);

    private static ConformanceCase Ramp3x3(ConvGeometry g, int outH, int outW, float[] channel) => new(
        g, new TensorShape(1, 1, 3, 3), Tensors.Ramp(9), Conformance.Filled(g.WeightCount, 1f), [],
        new TensorShape(1, 2, outH, outW), Conformance.Concat(channel, channel));

    // Strides [3, 2] with output padding [1, 1]; for cases 10 and 12 the output padding is output_shape [10, 8]
    // less the natural (3−1)·3 + 3 = 9 rows and (3−1)·2 + 3 = 7 columns.
    private static ConvGeometry Strides3x2OutputPadding1 => Transposed2d(1, 2) with
    {
        StrideH = 3, StrideW = 2, OutputPadH = 10 - 9, OutputPadW = 8 - 7,
    };

    private static readonly Dictionary<string, ConformanceCase> s_cases = new()
    {
        ["7 convtranspose"] = Ramp3x3(Transposed2d(1, 2), 5, 5, s_case7Channel),
        ["8 convtranspose 1d"] = new(
            ConvGeometry.ConvTranspose(1, 1, 2, 3, bias: false), new TensorShape(1, 1, 3), Tensors.Ramp(3),
            Conformance.Filled(6, 1f), [], new TensorShape(1, 2, 5), [0, 1, 3, 3, 2, 0, 1, 3, 3, 2]),
        ["9 convtranspose 3d"] = new(
            ConvGeometry.ConvTranspose(3, 1, 2, 3, bias: false), new TensorShape(1, 1, 3, 4, 5), Tensors.Ramp(60),
            Conformance.Filled(54, 1f), [], new TensorShape(1, 2, 5, 6, 7), Case9ByScatter()),
        ["10 output_shape"] = Ramp3x3(Strides3x2OutputPadding1, 10, 8, s_case10Channel),
        ["11 output_padding"] = Ramp3x3(Strides3x2OutputPadding1, 10, 8, s_case10Channel),
        ["12 output_shape and output_padding"] = Ramp3x3(Strides3x2OutputPadding1, 10, 8, s_case10Channel),

        // pads [1, 2, 1, 2]: 1 row cropped at the top and bottom, 2 columns at the left and right.
        ["13 pads"] = Ramp3x3(Transposed2d(1, 2) with { StrideH = 3, StrideW = 2, PadH = 1, PadW = 2 }, 7, 3,
        [
            1, 1, 3,
            1, 1, 3,
            7, 4, 9,
            7, 4, 9,
            7, 4, 9,
            13, 7, 15,
            13, 7, 15,
        ]),
        ["14 dilations"] = new(
            Transposed2d(1, 1, kernel: 2) with { DilationH = 2, DilationW = 2 }, new TensorShape(1, 1, 3, 3),
            [3, 8, 1, 9, 5, 7, 3, 2, 6], [7, 2, 1, 9], [], new TensorShape(1, 1, 5, 5),
            [
                21, 56, 13, 16, 2,
                63, 35, 67, 10, 14,
                24, 22, 76, 76, 21,
                9, 5, 88, 45, 63,
                3, 2, 33, 18, 54,
            ]),

        // SAME_UPPER with strides 2: output 3·2 = 6 of the full 7, total padding 1, cropped at the end.
        ["15 auto_pad SAME_UPPER"] = Ramp3x3(Transposed2d(1, 2) with { StrideH = 2, StrideW = 2, PaddingRule = PaddingRule.Same }, 6, 6,
        [
            0, 0, 1, 1, 3, 2,
            0, 0, 1, 1, 3, 2,
            3, 3, 8, 5, 12, 7,
            3, 3, 7, 4, 9, 5,
            9, 9, 20, 11, 24, 13,
            6, 6, 13, 7, 15, 8,
        ]),

        // Not an ONNX case: case 15 with SAME_LOWER crops the first row and column of the full 7×7 output instead.
        // The full output's rows are R0, R0, R0+R1, R1, R1+R2, R2, R2 with Ri the columns [a, a, a+b, b, b+c, c, c]
        // of input row i = (a, b, c): R0 = 0 0 1 1 3 2 2, R1 = 3 3 7 4 9 5 5, R2 = 6 6 13 7 15 8 8.
        ["auto_pad SAME_LOWER crops the beginning"] = Ramp3x3(
            Transposed2d(1, 2) with { StrideH = 2, StrideW = 2, PaddingRule = PaddingRule.SameLower }, 6, 6,
        [
            0, 1, 1, 3, 2, 2,
            3, 8, 5, 12, 7, 7,
            3, 7, 4, 9, 5, 5,
            9, 20, 11, 24, 13, 13,
            6, 13, 7, 15, 8, 8,
            6, 13, 7, 15, 8, 8,
        ]),
        ["16 group 2"] = new(
            Transposed2d(2, 2, groups: 2), new TensorShape(1, 2, 3, 3), Tensors.Ramp(18), Conformance.Filled(18, 1f), [],
            new TensorShape(1, 2, 5, 5), Conformance.Concat(s_case7Channel, s_case16Channel1)),
        ["17 group 2 image 3"] = new(
            Transposed2d(2, 2, groups: 2), new TensorShape(3, 2, 3, 3), Case17Input(), Conformance.Filled(18, 1f), [],
            new TensorShape(3, 2, 5, 5),
            Conformance.Concat(
                s_case7Channel, s_case16Channel1,
                [
                    18, 37, 57, 39, 20,
                    39, 80, 123, 84, 43,
                    63, 129, 198, 135, 69,
                    45, 92, 141, 96, 49,
                    24, 49, 75, 51, 26,
                ],
                s_case16Channel1,
                s_case7Channel, s_case16Channel1)),
    };

    public static TheoryData<string> AllCases => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Reference_matches_onnx_backend_convtranspose_case(string name)
        => Conformance.AssertMatches(s_cases[name], Conformance.Reference);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void ConvTranspose_layer_matches_onnx_backend_convtranspose_case(string name)
        => Conformance.AssertMatches(s_cases[name], Conformance.Layer(ConvTranspose.Create));

    [Fact]
    public void Case_9_rows_listed_in_the_onnx_case_file_match_the_scatter()
    {
        // Pins the independent scatter below to the published numbers, so the full-tensor expectation means something.
        float[] full = Case9ByScatter();
        const int planeSize = 6 * 7, channelSize = 5 * planeSize;

        Assert.Equal([0, 1, 3, 6, 9, 7, 4], Row(full, 0, 0, 0));
        Assert.Equal([225, 459, 702, 729, 756, 513, 261], Row(full, 0, 2, 2));
        Assert.Equal([55, 111, 168, 171, 174, 117, 59], Row(full, 0, 4, 5));
        Assert.Equal(full.AsSpan(0, channelSize).ToArray(), full.AsSpan(channelSize, channelSize).ToArray());

        // Every input element reaches 27 outputs per channel through an all-ones kernel.
        Assert.Equal(27.0 * (59 * 60 / 2), SumOf(full.AsSpan(0, channelSize)));

        static float[] Row(float[] y, int c, int d, int h) => y.AsSpan(((c * 5 + d) * 6 + h) * 7, 7).ToArray();
    }

    /// <summary>
    /// Case 9's full expected tensor by the definition of a transposed convolution read as a scatter: every input
    /// element x[d, h, w] adds x · 1 to y[c, d + kd, h + kh, w + kw] for both channels and every tap (stride 1, no
    /// padding). The reference gathers instead, so the two formulations check each other.
    /// </summary>
    private static float[] Case9ByScatter()
    {
        var y = new double[2 * 5 * 6 * 7];
        for (int c = 0; c < 2; c++)
        {
            for (int d = 0; d < 3; d++)
            {
                for (int h = 0; h < 4; h++)
                {
                    for (int w = 0; w < 5; w++)
                    {
                        double x = (d * 4 + h) * 5 + w;
                        for (int kd = 0; kd < 3; kd++)
                        {
                            for (int kh = 0; kh < 3; kh++)
                            {
                                for (int kw = 0; kw < 3; kw++)
                                {
                                    y[((c * 5 + d + kd) * 6 + h + kh) * 7 + w + kw] += x;
                                }
                            }
                        }
                    }
                }
            }
        }

        return Array.ConvertAll(y, v => (float)v);
    }

    // n0 = (0..8, 9..17), n1 = (18..26, 9..17), n2 = n0.
    private static float[] Case17Input()
    {
        float[] ramp = Tensors.Ramp(27);
        float[] ch0 = ramp[..9], ch1 = ramp[9..18], n1ch0 = ramp[18..27];
        return Conformance.Concat(ch0, ch1, n1ch0, ch1, ch0, ch1);
    }

    private static double SumOf(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum;
    }
}
