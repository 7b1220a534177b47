using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Checks of the oracle itself against results computed here by other means, so that a kernel agreeing with
/// <see cref="ConvReference"/> means something.
/// </summary>
public class ReferenceOracleTests
{
    [Fact]
    public void Pointwise_conv_is_a_channel_mixing_matrix_product_plus_bias()
    {
        var rng = new Random(11);
        const int n = 2, cin = 3, cout = 4, h = 4, w = 5;
        var shape = new TensorShape(n, cin, h, w);
        float[] x = Tensors.Random(rng, n * cin * h * w);
        float[] weights = Tensors.Random(rng, cout * cin);
        float[] bias = Tensors.Random(rng, cout);

        float[] actual = Tensors.Reference(new ConvGeometry(cin, cout, 1, 1), x, shape, weights, bias);

        var expected = new float[n * cout * h * w];
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < cout; o++)
            {
                for (int p = 0; p < h * w; p++)
                {
                    double sum = bias[o];
                    for (int c = 0; c < cin; c++)
                    {
                        sum += (double)weights[o * cin + c] * x[(b * cin + c) * h * w + p];
                    }

                    expected[(b * cout + o) * h * w + p] = (float)sum;
                }
            }
        }

        Tensors.AssertClose(expected, actual, "1x1 conv");
    }

    [Fact]
    public void Centre_tap_kernel_with_same_padding_copies_the_input()
    {
        var rng = new Random(12);
        var shape = new TensorShape(1, 1, 6, 7);
        float[] x = Tensors.Random(rng, 42);
        var weights = new float[9];
        weights[4] = 1f;

        float[] actual = Tensors.Reference(new ConvGeometry(1, 1, 3, 3, PadH: 1, PadW: 1, HasBias: false), x, shape, weights, default);

        Assert.Equal(x, actual);
    }

    [Fact]
    public void Corner_tap_kernel_shifts_the_input_and_reads_zeros_from_the_padding()
    {
        // Only tap (0, 0): output (y, x) reads input (y − 1, x − 1), which is padding on the first row and column.
        float[] x = Tensors.Ramp(12);
        var weights = new float[9];
        weights[0] = 1f;

        float[] actual = Tensors.Reference(new ConvGeometry(1, 1, 3, 3, PadH: 1, PadW: 1, HasBias: false), x,
            new TensorShape(1, 1, 3, 4), weights, default);

        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 1, 2, 0, 4, 5, 6 }, actual);
    }

    [Fact]
    public void Dilation_picks_pixels_dilation_apart()
    {
        // 5×5 ramp, 2×2 kernel, dilation 3: output (y, x) reads (y, x), (y, x+3), (y+3, x), (y+3, x+3).
        // Distinct weights 1, 10, 100, 1000 show which tap read which pixel: out(0,0) = 0 + 3·10 + 15·100 + 18·1000.
        float[] weights = [1, 10, 100, 1000];

        float[] actual = Tensors.Reference(new ConvGeometry(1, 1, 2, 2, DilationH: 3, DilationW: 3, HasBias: false),
            Tensors.Ramp(25), new TensorShape(1, 1, 5, 5), weights, default);

        Assert.Equal(new float[] { 19530, 20641, 25085, 26196 }, actual);
    }

    [Fact]
    public void Stride_steps_the_window_by_stride_pixels()
    {
        // 1×1 kernel of weight 1 with stride (2, 3) subsamples: rows 0, 2; columns 0, 3, 6 of a 4×7 ramp.
        float[] actual = Tensors.Reference(new ConvGeometry(1, 1, 1, 1, StrideH: 2, StrideW: 3, HasBias: false),
            Tensors.Ramp(28), new TensorShape(1, 1, 4, 7), [1f], default);

        Assert.Equal(new float[] { 0, 3, 6, 14, 17, 20 }, actual);
    }

    [Fact]
    public void Groups_connect_each_output_only_to_its_own_input_channels()
    {
        // 4 inputs, 2 outputs, 2 groups, 1×1: out0 = 1·x0 + 2·x1, out1 = 3·x2 + 4·x3 (+ bias 0.5, −0.5).
        float[] x = [1, 10, 100, 1000];
        float[] actual = Tensors.Reference(new ConvGeometry(4, 2, 1, 1, Groups: 2), x, new TensorShape(1, 4, 1, 1),
            [1, 2, 3, 4], [0.5f, -0.5f]);

        Assert.Equal(new float[] { 21.5f, 4299.5f }, actual);
    }

    [Fact]
    public void Zero_weights_give_the_bias_everywhere()
    {
        float[] actual = Tensors.Reference(new ConvGeometry(2, 3, 3, 3, PadH: 1, PadW: 1), Tensors.Ramp(2 * 3 * 3),
            new TensorShape(1, 2, 3, 3), new float[3 * 2 * 9], [1, -2, 3]);

        for (int o = 0; o < 3; o++)
        {
            Assert.All(actual.AsSpan(o * 9, 9).ToArray(), v => Assert.Equal(o switch { 0 => 1f, 1 => -2f, _ => 3f }, v));
        }
    }
}
