using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// <see cref="PoolingKernel"/> against <see cref="ConvReference.MaxPool"/> / <see cref="ConvReference.AvgPool"/> over
/// 1-D, 2-D and 3-D shapes, every window, stride and padding PyTorch allows up to K = 4, and row widths that take each
/// vector width and its tail; plus values worked out by hand, NaN, bad input and allocation.
/// </summary>
public class PoolingKernelTests
{
    private const string Layer = "Pool";

    /// <summary>Spatial sizes per dimension count: windows exactly the input, odd sizes, rows long enough for 16 lanes.</summary>
    private static IEnumerable<int[]> Sizes(int dims, int k) => dims switch
    {
        1 => new[] { new[] { k }, new[] { 5 }, new[] { 17 }, new[] { 38 }, new[] { 67 } },
        2 => new[] { new[] { k, k }, new[] { 5, 7 }, new[] { 9, 19 }, new[] { 4, 35 }, new[] { 4, 70 } },
        _ => new[] { new[] { k, k, k }, new[] { 4, 5, 9 }, new[] { 4, 6, 21 }, new[] { 5, 4, 37 } },
    };

    private static TensorShape Shape(int n, int c, int[] size) => size.Length switch
    {
        1 => new TensorShape(n, c, size[0]),
        2 => new TensorShape(n, c, size[0], size[1]),
        _ => new TensorShape(n, c, size[0], size[1], size[2]),
    };

    private static float[] RunKernel(bool max, float[] input, TensorShape shape, int k, int s, int p, bool countIncludePad)
    {
        var output = new float[PoolingKernel.OutputShape(max, shape, k, s, p, Layer).ElementCount];
        output.AsSpan().Fill(float.NaN); // an output the kernel forgets fails the comparison
        PoolingKernel.Forward(max, input, shape, output, k, s, p, countIncludePad, Layer);
        return output;
    }

    private static float[] RunReference(bool max, float[] input, TensorShape shape, int k, int s, int p, bool countIncludePad)
    {
        var output = new float[PoolingKernel.OutputShape(max, shape, k, s, p, Layer).ElementCount];
        if (max)
        {
            ConvReference.MaxPool(input, shape, output, k, s, p);
        }
        else
        {
            ConvReference.AvgPool(input, shape, output, k, s, p, countIncludePad);
        }

        return output;
    }

    /// <summary>Max pooling selects values, so it must agree exactly (NaN counts as equal to NaN).</summary>
    private static void AssertSame(float[] expected, float[] actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: {actual.Length} values, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture, "{0}: element {1} is {2}, expected {3}.", context, i, actual[i], expected[i]));
            }
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(3, false)]
    public void Kernel_matches_the_reference_for_every_window_stride_padding_and_row_width(int dims, bool max)
    {
        int cases = 0;
        for (int k = 1; k <= 4; k++)
        {
            for (int s = 1; s <= 3; s++)
            {
                for (int p = 0; p <= k / 2; p++)
                {
                    foreach (int[] size in Sizes(dims, k))
                    {
                        foreach (bool countIncludePad in max ? new[] { false } : new[] { true, false })
                        {
                            int batch = 1 + cases % 3, channels = 1 + (cases / 3) % 2;
                            TensorShape shape = Shape(batch, channels, size);
                            float[] input = Tensors.Random(new Random(1000 + cases), (int)shape.ElementCount);
                            float[] expected = RunReference(max, input, shape, k, s, p, countIncludePad);
                            float[] actual = RunKernel(max, input, shape, k, s, p, countIncludePad);
                            string context = $"{(max ? "max" : "avg")} K={k} S={s} P={p} countIncludePad={countIncludePad} on {shape}";
                            if (max)
                            {
                                AssertSame(expected, actual, context);
                            }
                            else
                            {
                                Tensors.AssertClose(expected, actual, context);
                            }

                            cases++;
                        }
                    }
                }
            }
        }

        Assert.True(cases >= 96, $"only {cases} cases ran");
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    [InlineData(5, 3, 2)]
    [InlineData(4, 4, 0)]
    [InlineData(7, 1, 3)]
    public void Long_rows_and_larger_windows_match_the_reference(int k, int s, int p)
    {
        foreach (bool max in new[] { true, false })
        {
            var shape = new TensorShape(2, 3, 13, 131);
            float[] input = Tensors.Random(new Random(k * 100 + s * 10 + p), (int)shape.ElementCount);
            float[] expected = RunReference(max, input, shape, k, s, p, countIncludePad: true);
            float[] actual = RunKernel(max, input, shape, k, s, p, countIncludePad: true);
            Tensors.AssertClose(expected, actual, $"{(max ? "max" : "avg")} K={k} S={s} P={p} on {shape}");
        }
    }

    [Fact]
    public void Windows_wider_than_the_column_buffer_still_pool_correctly()
    {
        var shape = new TensorShape(1, 2, 1200);
        float[] input = Tensors.Random(new Random(9), (int)shape.ElementCount);
        foreach ((int k, int s) in new[] { (600, 3), (300, 250), (1200, 7) })
        {
            Tensors.AssertClose(RunReference(false, input, shape, k, s, 0, true), RunKernel(false, input, shape, k, s, 0, true), $"avg K={k} S={s}");
            AssertSame(RunReference(true, input, shape, k, s, 0, false), RunKernel(true, input, shape, k, s, 0, false), $"max K={k} S={s}");
        }
    }

    [Theory]
    [InlineData(1, 10, 3, 2, 1, 5)] // floor((10 + 2 - 3) / 2) + 1 = 5
    [InlineData(2, 7, 2, 2, 0, 3)] // floor(5 / 2) + 1 = 3: the last row is dropped (ceil_mode=False)
    [InlineData(2, 28, 2, 2, 0, 14)]
    [InlineData(3, 4, 4, 1, 2, 5)] // (4 + 4 - 4) / 1 + 1
    [InlineData(2, 5, 3, 3, 1, 2)] // floor((5 + 2 - 3) / 3) + 1 = 2
    public void Output_size_is_floor_of_padded_size_minus_window_over_stride_plus_one(int dims, int size, int k, int s, int p, int expected)
    {
        TensorShape shape = Shape(2, 3, dims == 1 ? new[] { size } : dims == 2 ? new[] { size, size + 1 } : new[] { size, size, size });
        TensorShape output = PoolingKernel.OutputShape(true, shape, k, s, p, Layer);
        Assert.Equal(dims, output.Dimensions);
        Assert.Equal((2, 3), (output.N, output.C));
        Assert.Equal(dims == 2 ? (size + 1 + 2 * p - k) / s + 1 : expected, output.W); // the 2-D input is one wider
        Assert.Equal(dims >= 2 ? expected : 1, output.H);
        Assert.Equal(dims == 3 ? expected : 1, output.D);
    }

    [Fact]
    public void Max_2x2_stride_2_of_a_4x4_ramp_takes_the_bottom_right_of_each_block()
    {
        var shape = new TensorShape(1, 1, 4, 4);
        float[] output = RunKernel(true, Tensors.Ramp(16), shape, 2, 2, 0, false);
        Assert.Equal(new[] { 5f, 7f, 13f, 15f }, output);
    }

    [Fact]
    public void Avg_2x2_stride_2_of_a_4x4_ramp_is_the_mean_of_each_block()
    {
        var shape = new TensorShape(1, 1, 4, 4);
        float[] output = RunKernel(false, Tensors.Ramp(16), shape, 2, 2, 0, true);
        Assert.Equal(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, output); // (0+1+4+5)/4, (2+3+6+7)/4, ...
    }

    [Fact]
    public void Avg_3x3_padding_1_divides_by_9_with_count_include_pad_and_by_the_real_inputs_without()
    {
        var shape = new TensorShape(1, 1, 3, 3);
        float[] ramp = Tensors.Ramp(9);
        float[] include = RunKernel(false, ramp, shape, 3, 1, 1, true);
        float[] exclude = RunKernel(false, ramp, shape, 3, 1, 1, false);

        // Corner (0,0): 0+1+3+4 = 8 over 9 padded positions or 4 real ones; edge (0,1): 0+1+2+3+4+5 = 15 over 9 or 6;
        // centre: 36 over 9 either way.
        Assert.Equal(8f / 9f, include[0], 6);
        Assert.Equal(2f, exclude[0], 6);
        Assert.Equal(15f / 9f, include[1], 6);
        Assert.Equal(2.5f, exclude[1], 6);
        Assert.Equal(4f, include[4], 6);
        Assert.Equal(4f, exclude[4], 6);
        Assert.Equal((4 + 5 + 7 + 8) / 9f, include[8], 6);
        Assert.Equal((4 + 5 + 7 + 8) / 4f, exclude[8], 6);
    }

    [Fact]
    public void Avg_1d_with_padding_half_the_window_counts_the_padded_positions_inside_the_padding()
    {
        // L = 3, K = 4, P = 2: windows start at -2, -1, 0, 1 and all end by L + P = 5, so each divisor is 4 with
        // count_include_pad; without it, the real inputs: 2, 3, 3, 2.
        var shape = new TensorShape(1, 1, 3);
        float[] x = { 1f, 2f, 3f };
        Assert.Equal(new[] { 3f / 4, 6f / 4, 6f / 4, 5f / 4 }, RunKernel(false, x, shape, 4, 1, 2, true));
        Assert.Equal(new[] { 3f / 2, 6f / 3, 6f / 3, 5f / 2 }, RunKernel(false, x, shape, 4, 1, 2, false));
    }

    [Fact]
    public void Max_pooling_never_picks_the_padding_even_when_every_input_is_negative()
    {
        var shape = new TensorShape(1, 1, 3);
        Assert.Equal(new[] { -3f, -3f, -3f }, RunKernel(true, new[] { -5f, -3f, -4f }, shape, 3, 1, 1, false));
    }

    [Fact]
    public void Max_and_avg_over_a_2x2x2_cube_are_its_largest_value_and_its_mean()
    {
        var shape = new TensorShape(1, 1, 2, 2, 2);
        Assert.Equal(new[] { 7f }, RunKernel(true, Tensors.Ramp(8), shape, 2, 2, 0, false));
        Assert.Equal(new[] { 3.5f }, RunKernel(false, Tensors.Ramp(8), shape, 2, 2, 0, true));
    }

    [Fact]
    public void Pooling_a_1d_input_leaves_channels_and_batch_apart()
    {
        var shape = new TensorShape(2, 2, 4);
        float[] x = { 1, 9, 2, 3, /**/ 4, 0, 8, 8, /**/ -1, -2, -3, -4, /**/ 5, 6, 7, 6 };
        Assert.Equal(new[] { 9f, 3f, 4f, 8f, -1f, -3f, 6f, 7f }, RunKernel(true, x, shape, 2, 2, 0, false));
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 3, 0)]
    [InlineData(4, 3, 2)]
    public void A_NaN_makes_every_max_window_containing_it_NaN_and_no_other(int k, int s, int p)
    {
        var shape = new TensorShape(2, 1, 5, 53);
        float[] x = Tensors.Random(new Random(77), (int)shape.ElementCount);
        int[] nanAt = { 0, 7, 53 + 20, 2 * 53 + 52, 5 * 53 + 33, 9 * 53 + 17 };
        foreach (int i in nanAt)
        {
            x[i] = float.NaN;
            x[i + 1 < x.Length ? i + 1 : i - 1] = 5f; // a larger value after the NaN must not replace it
        }

        x[3 * 53 + 9] = float.PositiveInfinity;
        float[] actual = RunKernel(true, x, shape, k, s, p, false);
        AssertSame(RunReference(true, x, shape, k, s, p, false), actual, $"K={k} S={s} P={p}");

        // Independently of the reference: output (oh, ow) of image 0 is NaN exactly when its window holds a NaN.
        TensorShape outShape = PoolingKernel.OutputShape(true, shape, k, s, p, Layer);
        int nans = 0;
        for (int oh = 0; oh < outShape.H; oh++)
        {
            for (int ow = 0; ow < outShape.W; ow++)
            {
                bool holdsNaN = false;
                for (int h = oh * s - p; h < oh * s - p + k; h++)
                {
                    for (int w = ow * s - p; w < ow * s - p + k; w++)
                    {
                        holdsNaN |= h >= 0 && h < 5 && w >= 0 && w < 53 && float.IsNaN(x[h * 53 + w]);
                    }
                }

                Assert.Equal(holdsNaN, float.IsNaN(actual[oh * outShape.W + ow]));
                nans += holdsNaN ? 1 : 0;
            }
        }

        Assert.True(nans > 0);
    }

    [Fact]
    public void Average_pooling_lets_NaN_and_infinity_through_as_a_sum_does()
    {
        var shape = new TensorShape(1, 1, 40);
        float[] x = Tensors.Random(new Random(5), 40);
        x[10] = float.NaN;
        x[30] = float.PositiveInfinity;
        float[] actual = RunKernel(false, x, shape, 2, 2, 0, true);
        Assert.True(float.IsNaN(actual[5]));
        Assert.Equal(float.PositiveInfinity, actual[15]);
        Assert.False(float.IsNaN(actual[4]) || float.IsNaN(actual[6]));
    }

    private static ArgumentException Fails(bool max, TensorShape shape, int inputLength, int outputLength, int k, int s, int p)
        => Assert.Throws<ArgumentException>(() =>
            PoolingKernel.Forward(max, new float[inputLength], shape, new float[outputLength], k, s, p, true, "Pool2"));

    private static void AssertMentions(Exception e, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, 1, 0, "K = 0")]
    [InlineData(2, 0, 0, "S = 0")]
    [InlineData(3, 1, 2, "P = 2")]
    [InlineData(2, 2, -1, "P = -1")]
    public void Window_stride_or_padding_out_of_range_is_refused_naming_them(int k, int s, int p, string named)
    {
        ArgumentException e = Fails(true, new TensorShape(1, 1, 8, 8), 64, 64, k, s, p);
        AssertMentions(e, "Layer 'Pool2'", named, "0 <= P <= K / 2");
    }

    [Fact]
    public void An_input_smaller_than_the_window_names_the_axis_its_size_and_the_window()
    {
        ArgumentException e = Fails(true, new TensorShape(1, 3, 1, 8), 24, 12, 2, 2, 0);
        AssertMentions(e, "Layer 'Pool2'", "input height 1", "1 + 2*0 = 1", "window K = 2", "[N=1, C=3, H=1, W=8]");

        e = Assert.Throws<ArgumentException>(() => PoolingKernel.OutputShape(false, new TensorShape(1, 1, 2), 5, 1, 1, "Avg"));
        AssertMentions(e, "Layer 'Avg'", "input length 2", "2 + 2*1 = 4", "window K = 5");
    }

    [Theory]
    [InlineData(2 * 3 * 36 - 1)]
    [InlineData(2 * 3 * 36 + 1)]
    [InlineData(0)]
    public void An_input_span_of_the_wrong_length_names_both_lengths(int length)
    {
        ArgumentException e = Fails(false, new TensorShape(2, 3, 6, 6), length, 2 * 3 * 9, 2, 2, 0);
        AssertMentions(e, "Layer 'Pool2'", $"input span has {length} elements", "needs exactly 216");
    }

    [Theory]
    [InlineData(2 * 3 * 9 - 1)]
    [InlineData(2 * 3 * 9 + 4)]
    public void An_output_span_of_the_wrong_length_names_both_lengths_and_the_output_shape(int length)
    {
        ArgumentException e = Fails(true, new TensorShape(2, 3, 6, 6), 216, length, 2, 2, 0);
        AssertMentions(e, $"output span has {length} elements", "[N=2, C=3, H=3, W=3]", "needs exactly 54");
    }

    [Fact]
    public void A_shape_with_a_non_positive_size_or_no_dimensions_is_refused()
    {
        AssertMentions(Fails(true, new TensorShape(1, 0, 4, 4), 0, 0, 2, 2, 0), "must have positive sizes", "C=0");
        AssertMentions(Fails(true, new TensorShape(-1, 1, 4, 4), 0, 0, 2, 2, 0), "must have positive sizes");
        AssertMentions(Assert.Throws<ArgumentException>(() => PoolingKernel.OutputShape(true, default, 2, 2, 0, "Pool2")), "Dimensions = 0");
    }

    [Fact]
    public void Overlapping_input_and_output_spans_are_refused()
    {
        var buffer = new float[64 + 16];
        var e = Assert.Throws<ArgumentException>(() =>
            PoolingKernel.Forward(true, buffer.AsSpan(0, 64), new TensorShape(1, 1, 8, 8), buffer.AsSpan(60, 16), 2, 2, 0, false, "Pool2"));
        AssertMentions(e, "overlap");
    }

    [Theory]
    [InlineData(true, 2, 2, 0, 2)]
    [InlineData(false, 3, 1, 1, 2)]
    [InlineData(false, 3, 3, 1, 2)]
    [InlineData(true, 3, 2, 1, 3)]
    [InlineData(true, 2, 2, 0, 1)]
    public void Forward_allocates_nothing_after_warm_up(bool max, int k, int s, int p, int dims)
    {
        TensorShape shape = dims switch
        {
            1 => new TensorShape(3, 4, 101),
            2 => new TensorShape(3, 4, 17, 37),
            _ => new TensorShape(2, 3, 7, 9, 21),
        };
        float[] input = Tensors.Random(new Random(1), (int)shape.ElementCount);
        var output = new float[PoolingKernel.OutputShape(max, shape, k, s, p, Layer).ElementCount];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => PoolingKernel.Forward(max, input, shape, output, k, s, p, true, Layer)));
    }
}
