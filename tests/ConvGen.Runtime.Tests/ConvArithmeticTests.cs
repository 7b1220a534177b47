using ConvGen;

namespace ConvGen.Runtime.Tests;

public class ConvArithmeticTests
{
    [Theory]
    [InlineData(5, 3, 1, 1, 1, 1, 5)] // "same"
    [InlineData(5, 3, 0, 0, 1, 1, 3)] // "valid"
    [InlineData(7, 3, 1, 1, 2, 1, 4)]
    [InlineData(7, 3, 0, 0, 2, 1, 3)]
    [InlineData(224, 7, 3, 3, 2, 1, 112)] // ResNet stem
    [InlineData(224, 11, 2, 2, 4, 1, 55)] // AlexNet conv1
    [InlineData(8, 3, 1, 1, 2, 2, 3)] // dilated and strided: (8 + 2 − 5) / 2 + 1
    [InlineData(6, 3, 0, 0, 4, 1, 1)] // floor: windows at 0 only
    [InlineData(1, 3, 1, 1, 1, 1, 1)] // smaller than the kernel, fits once padded
    [InlineData(7, 3, 1, 0, 2, 1, 3)] // asymmetric padding
    public void Output_size_is_floor_of_padded_span_over_stride_plus_one(int input, int k, int padBegin, int padEnd, int s, int d, long expected)
    {
        Assert.Equal(expected, ConvArithmetic.OutputSize(input, k, padBegin, padEnd, s, d));
        Assert.True(ConvArithmetic.Fits(input, k, padBegin, padEnd, d));
    }

    [Theory]
    [InlineData(2, 5, 1, 1, 1)] // 4 < 5
    [InlineData(3, 3, 0, 0, 2)] // 3 < 5
    public void A_window_that_does_not_fit_is_reported_not_clamped(int input, int k, int padBegin, int padEnd, int d)
    {
        Assert.False(ConvArithmetic.Fits(input, k, padBegin, padEnd, d));
        Assert.True(ConvArithmetic.OutputSize(input, k, padBegin, padEnd, 1, d) <= 0);
    }

    [Theory]
    [InlineData(new[] { 3, 3, 3 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, 7)]
    [InlineData(new[] { 3, 3 }, new[] { 1, 1 }, new[] { 2, 1 }, 7)] // 1 + 2 + 2·2
    [InlineData(new[] { 3, 3 }, new[] { 1, 1 }, new[] { 1, 2 }, 5)] // the last stride does not widen the field
    [InlineData(new[] { 7, 3, 3 }, new[] { 1, 1, 1 }, new[] { 2, 2, 1 }, 19)] // 1 + 6 + 2·2 + 2·4
    [InlineData(new[] { 3, 3, 3 }, new[] { 1, 2, 4 }, new[] { 1, 1, 1 }, 15)] // dilated stack: 1 + 2 + 4 + 8
    [InlineData(new[] { 5 }, new[] { 3 }, new[] { 2 }, 13)]
    [InlineData(new int[0], new int[0], new int[0], 1)]
    public void Receptive_field_of_a_stack_adds_each_layers_dilated_extent_times_the_jump(int[] kernels, int[] dilations, int[] strides, long expected)
    {
        Assert.Equal(expected, ConvArithmetic.ReceptiveField(kernels, dilations, strides));
    }

    [Fact]
    public void Receptive_field_of_one_layer_is_its_dilated_kernel()
    {
        Assert.Equal(3, ConvArithmetic.ReceptiveField(3, 1));
        Assert.Equal(7, ConvArithmetic.ReceptiveField(4, 2));
        Assert.Equal(ConvArithmetic.DilatedKernel(5, 3), ConvArithmetic.ReceptiveField(5, 3));
    }

    [Fact]
    public void Parameter_count_is_weights_plus_one_bias_per_filter()
    {
        Assert.Equal(1728, ConvArithmetic.WeightCount(3, 64, 1, 3, 3));
        Assert.Equal(1728 + 64, ConvArithmetic.ParameterCount(3, 64, 1, 3, 3, bias: true));
        Assert.Equal(1728, ConvArithmetic.ParameterCount(3, 64, 1, 3, 3, bias: false));
        Assert.Equal(32 * 9 + 32, ConvArithmetic.ParameterCount(32, 32, 32, 3, 3, bias: true)); // depthwise
        Assert.Equal(8 * 2 * 3 * 5, ConvArithmetic.WeightCount(4, 8, 2, 3, 5)); // grouped, Kh ≠ Kw
        Assert.Equal(1728 + 64, new ConvGeometry(3, 64, 3, 3).ParameterCount);
        Assert.Equal(1728, new ConvGeometry(3, 64, 3, 3).WeightCount);
    }

    [Theory]
    [InlineData(6, 3, 0, 0, 2, 1, 1)] // windows 0-2, 2-4: column 5 unread
    [InlineData(8, 3, 0, 0, 3, 1, 2)] // windows 0-2, 3-5: 6 and 7 unread
    [InlineData(7, 3, 1, 1, 2, 1, 0)] // stride divides the padded span
    [InlineData(8, 3, 1, 1, 2, 1, 0)] // the skipped position is end padding
    [InlineData(9, 3, 0, 2, 4, 1, 0)] // (9 + 2 − 3) mod 4 = 0
    [InlineData(12, 3, 0, 1, 4, 1, 1)] // windows 0, 4, 8 read up to 10; of the 2 skipped, one is padding
    [InlineData(10, 2, 0, 0, 4, 2, 3)] // dilated: windows read {0, 2} and {4, 6}; 7, 8, 9 unread
    public void Unread_inputs_are_the_stride_remainder_less_end_padding(int input, int k, int padBegin, int padEnd, int s, int d, long expected)
    {
        Assert.Equal(expected, ConvArithmetic.UnreadInputs(input, k, padBegin, padEnd, s, d));
    }

    [Fact]
    public void Unread_inputs_agree_with_the_last_position_any_window_reads()
    {
        for (int input = 1; input <= 20; input++)
        {
            for (int k = 1; k <= 5; k++)
            {
                for (int d = 1; d <= 3; d++)
                {
                    for (int s = 1; s <= 4; s++)
                    {
                        for (int padBegin = 0; padBegin <= 3; padBegin++)
                        {
                            for (int padEnd = 0; padEnd <= 3; padEnd++)
                            {
                                if (!ConvArithmetic.Fits(input, k, padBegin, padEnd, d))
                                {
                                    continue;
                                }

                                long outputs = ConvArithmetic.OutputSize(input, k, padBegin, padEnd, s, d);
                                long lastRead = (outputs - 1) * s - padBegin + (long)(k - 1) * d; // in input coordinates
                                long expected = System.Math.Max(0, input - 1 - lastRead);
                                Assert.True(expected == ConvArithmetic.UnreadInputs(input, k, padBegin, padEnd, s, d),
                                    $"input {input}, K {k}, pads {padBegin}/{padEnd}, S {s}, D {d}: expected {expected}");
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(7, 2, 3)]
    [InlineData(-7, 2, -4)]
    [InlineData(-6, 2, -3)]
    [InlineData(-1, 3, -1)]
    [InlineData(0, 5, 0)]
    public void Floor_division_rounds_toward_negative_infinity(long numerator, long divisor, long expected)
    {
        Assert.Equal(expected, ConvArithmetic.FloorDiv(numerator, divisor));
    }
}
