using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// <see cref="Flatten"/> and <see cref="GlobalAvgPool"/>: their shape rules, their values (the global pool against
/// <see cref="ConvReference.GlobalAvgPool"/> and by hand), in-place flattening, bad input and allocation.
/// </summary>
public class FlattenAndGlobalPoolTests
{
    [Theory]
    [InlineData(1, 3, 1, 1, 7, 1, 21)]
    [InlineData(2, 16, 1, 5, 5, 2, 400)]
    [InlineData(3, 2, 3, 4, 5, 3, 120)]
    public void Flatten_makes_each_sample_one_row_of_C_D_H_W_features(int dims, int c, int d, int h, int w, int n, int features)
    {
        TensorShape shape = dims switch
        {
            1 => new TensorShape(n, c, w),
            2 => new TensorShape(n, c, h, w),
            _ => new TensorShape(n, c, d, h, w),
        };
        var flatten = new Flatten();
        TensorShape output = flatten.GetOutputShape(shape);
        Assert.Equal(new TensorShape(n, features, 1), output);

        float[] x = Tensors.Random(new Random(dims), (int)shape.ElementCount);
        var y = new float[output.ElementCount];
        flatten.Forward(x, shape, y);
        Assert.Equal(x, y); // NCHW already is [N, C·D·H·W]
    }

    [Fact]
    public void Flatten_in_place_leaves_the_buffer_as_it_is()
    {
        float[] x = Tensors.Ramp(24);
        new Flatten().Forward(x, new TensorShape(2, 3, 2, 2), x);
        Assert.Equal(Tensors.Ramp(24), x);
    }

    [Fact]
    public void Flatten_refuses_spans_of_the_wrong_length_naming_both_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new Flatten().Forward(new float[24], new TensorShape(2, 3, 2, 2), new float[23]));
        Assert.Contains("Layer 'Flatten'", e.Message);
        Assert.Contains("output span has 23 elements", e.Message);
        Assert.Contains("needs exactly 24", e.Message);

        e = Assert.Throws<ArgumentException>(() => new Flatten().GetOutputShape(new TensorShape(0, 3, 2, 2)));
        Assert.Contains("must have positive sizes", e.Message);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 3, 1, 37)]
    [InlineData(2, 4, 7, 7)]
    [InlineData(3, 5, 13, 9)]
    [InlineData(1, 2, 64, 65)]
    public void GlobalAvgPool_matches_the_reference_on_2d_inputs(int n, int c, int h, int w)
    {
        var shape = new TensorShape(n, c, h, w);
        AssertGlobalPoolMatches(shape, n * 100 + h);
    }

    [Fact]
    public void GlobalAvgPool_matches_the_reference_on_1d_and_3d_inputs_keeping_their_dimensions()
    {
        AssertGlobalPoolMatches(new TensorShape(3, 4, 19), 1);
        AssertGlobalPoolMatches(new TensorShape(2, 3, 3, 5, 7), 2);
        Assert.Equal(new TensorShape(3, 4, 1), new GlobalAvgPool().GetOutputShape(new TensorShape(3, 4, 19)));
        Assert.Equal(new TensorShape(2, 3, 1, 1, 1), new GlobalAvgPool().GetOutputShape(new TensorShape(2, 3, 3, 5, 7)));
    }

    private static void AssertGlobalPoolMatches(TensorShape shape, int seed)
    {
        var layer = new GlobalAvgPool();
        float[] x = Tensors.Random(new Random(seed), (int)shape.ElementCount);
        TensorShape outputShape = layer.GetOutputShape(shape);
        Assert.Equal((shape.N, shape.C, shape.Dimensions), (outputShape.N, outputShape.C, outputShape.Dimensions));
        var expected = new float[outputShape.ElementCount];
        ConvReference.GlobalAvgPool(x, shape, expected);
        var actual = new float[outputShape.ElementCount];
        actual.AsSpan().Fill(float.NaN);
        layer.Forward(x, shape, actual);
        Tensors.AssertClose(expected, actual, $"global average of {shape}");
    }

    [Fact]
    public void GlobalAvgPool_of_a_ramp_is_the_mean_of_each_channel()
    {
        // Channel 0 holds 0..5 (mean 2.5), channel 1 holds 6..11 (mean 8.5).
        var y = new float[2];
        new GlobalAvgPool().Forward(Tensors.Ramp(12), new TensorShape(1, 2, 2, 3), y);
        Assert.Equal(new[] { 2.5f, 8.5f }, y);
    }

    [Fact]
    public void GlobalAvgPool_equals_average_pooling_with_the_whole_plane_as_the_window()
    {
        var shape = new TensorShape(2, 3, 5, 5);
        float[] x = Tensors.Random(new Random(8), (int)shape.ElementCount);
        var global = new float[6];
        var pooled = new float[6];
        new GlobalAvgPool().Forward(x, shape, global);
        ConvReference.AvgPool(x, shape, pooled, 5, 5, 0, countIncludePad: true);
        Tensors.AssertClose(pooled, global, "5x5 window");
    }

    [Fact]
    public void GlobalAvgPool_refuses_an_output_of_the_wrong_length_naming_both_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => new GlobalAvgPool().Forward(new float[2 * 3 * 16], new TensorShape(2, 3, 4, 4), new float[5]));
        Assert.Contains("Layer 'GlobalAvgPool'", e.Message);
        Assert.Contains("output span has 5 elements", e.Message);
        Assert.Contains("needs exactly 6", e.Message);
    }

    [Fact]
    public void Reference_global_pool_refuses_spans_of_the_wrong_length()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvReference.GlobalAvgPool(new float[10], new TensorShape(1, 2, 2, 3), new float[2]));
        Assert.Contains("input span has 10 elements", e.Message);
    }

    [Fact]
    public void Flatten_and_GlobalAvgPool_allocate_nothing_after_warm_up()
    {
        var shape = new TensorShape(4, 8, 9, 11);
        float[] x = Tensors.Random(new Random(1), (int)shape.ElementCount);
        var flat = new float[x.Length];
        var pooled = new float[32];
        var flatten = new Flatten();
        var gap = new GlobalAvgPool();
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            flatten.Forward(x, shape, flat);
            gap.Forward(x, shape, pooled);
        }));
    }
}
