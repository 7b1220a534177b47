using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The general kernel (<see cref="Conv2d.Create(ConvGeometry)"/>) against <see cref="ConvReference"/> over sweeps of
/// geometry, channels and sizes. Output widths are chosen around 4, 8 and 16 so each vector width, its overlapping
/// last vector and the scalar path all run.
/// </summary>
public class GeneralKernelSweepTests
{
    private static readonly int[] s_kernels = [1, 2, 3, 5, 7];

    /// <summary>Creates a layer with seeded random weights and bias, runs it and the reference, compares.</summary>
    internal static void CheckAgainstReference(ConvGeometry g, TensorShape inputShape, int seed)
    {
        var rng = new Random(seed);
        IConvLayer layer = Conv2d.Create(g);
        Tensors.Random(rng, layer.Weights.Length).CopyTo(layer.Weights);
        Tensors.Random(rng, layer.Bias.Length).CopyTo(layer.Bias);
        float[] input = Tensors.Random(rng, (int)inputShape.ElementCount);

        float[] expected = Tensors.Reference(g, input, inputShape, layer.Weights, layer.Bias);
        float[] actual = Tensors.Forward(layer, input, inputShape);

        Tensors.AssertClose(expected, actual, $"{g} on {inputShape}");
    }

    private static bool Fits(int size, int kernel, int pad, int dilation) => ConvArithmetic.Fits(size, kernel, pad, pad, dilation);

    public static IEnumerable<object[]> KernelPairs()
        => s_kernels.SelectMany(kh => s_kernels.Select(kw => new object[] { kh, kw }));

    /// <summary>P in 0..K−1 and one padding larger than the kernel.</summary>
    private static IEnumerable<int> Paddings(int kernel) => Enumerable.Range(0, kernel).Append(kernel + 1);

    [Theory]
    [MemberData(nameof(KernelPairs))]
    public void Matches_reference_for_every_kernel_size_and_padding(int kh, int kw)
    {
        // 13 × 17 input: with stride 1 the output width runs from 11 to 33, across the 16-lane boundary.
        var shape = new TensorShape(1, 3, 13, 17);
        int seed = 0;
        foreach (int ph in Paddings(kh))
        {
            foreach (int pw in Paddings(kw))
            {
                foreach ((int sh, int sw) in new[] { (1, 1), (2, 2), (3, 3), (1, 2), (3, 1) })
                {
                    CheckAgainstReference(new ConvGeometry(3, 5, kh, kw, sh, sw, ph, pw), shape, seed++);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    public void Matches_reference_for_every_stride_and_dilation(int stride, int dilation)
    {
        // Horizontal stride and dilation vary independently of the vertical ones: the column phase split depends on both.
        int seed = 1000 * stride + 100 * dilation;
        foreach (int sw in new[] { 1, 2, 3 })
        {
            foreach (int dw in new[] { 1, 2, 3 })
            {
                foreach ((int kh, int kw) in new[] { (3, 3), (2, 5) })
                {
                    foreach (int p in new[] { 0, 1, 3 })
                    {
                        foreach (int w in new[] { 7, 16, 29, 53 })
                        {
                            var shape = new TensorShape(1, 2, 11, w);
                            if (!Fits(11, kh, p, dilation) || !Fits(w, kw, p, dw))
                            {
                                continue;
                            }

                            CheckAgainstReference(new ConvGeometry(2, 5, kh, kw, stride, sw, p, p, dilation, dw), shape, seed++);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 3, 1)]
    [InlineData(3, 5, 1)]
    [InlineData(5, 17, 1)]
    [InlineData(17, 3, 1)]
    [InlineData(17, 17, 1)]
    [InlineData(4, 8, 2)]
    [InlineData(6, 9, 3)]
    [InlineData(6, 4, 2)]
    [InlineData(3, 3, 3)] // depthwise
    [InlineData(5, 5, 5)]
    [InlineData(17, 17, 17)]
    [InlineData(3, 6, 3)] // depthwise, channel multiplier 2
    [InlineData(5, 15, 5)] // multiplier 3
    [InlineData(4, 16, 4)] // multiplier 4: one full 4-channel tile per group
    [InlineData(5, 35, 5)] // multiplier 7: a 4-channel tile and three 1-channel tiles per group
    public void Matches_reference_for_channels_and_groups_with_and_without_bias_over_batches(int cin, int cout, int groups)
    {
        int seed = 10000 + 100 * cin + cout;
        foreach (bool bias in new[] { true, false })
        {
            foreach (int n in new[] { 1, 3 })
            {
                foreach ((int h, int w, int s) in new[] { (7, 19, 1), (13, 5, 2), (5, 37, 2) })
                {
                    var g = new ConvGeometry(cin, cout, 3, 3, s, s, 1, 1, Groups: groups, HasBias: bias);
                    CheckAgainstReference(g, new TensorShape(n, cin, h, w), seed++);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(3, 0)]
    [InlineData(2, 0)]
    [InlineData(5, 2)]
    public void Matches_reference_for_every_input_width_from_1_to_40(int kernel, int pad)
    {
        // Every width crosses the dispatch thresholds (4, 8, 16 lanes) and every overlap of the last vector.
        for (int w = 1; w <= 40; w++)
        {
            if (!Fits(w, kernel, pad, 1))
            {
                continue;
            }

            CheckAgainstReference(new ConvGeometry(3, 6, kernel, kernel, PadH: pad, PadW: pad), new TensorShape(2, 3, 3 + kernel, w), w);
            CheckAgainstReference(new ConvGeometry(3, 5, kernel, kernel, 2, 2, pad, pad), new TensorShape(1, 3, 3 + kernel, w + kernel), 100 + w);
        }
    }

    [Theory]
    [MemberData(nameof(KernelPairs))]
    public void Matches_reference_when_the_input_is_exactly_the_kernel(int kh, int kw)
    {
        // One output pixel that reads every input pixel, with and without dilation (the input grows to the dilated kernel).
        CheckAgainstReference(new ConvGeometry(3, 5, kh, kw), new TensorShape(2, 3, kh, kw), kh * 10 + kw);
        CheckAgainstReference(new ConvGeometry(3, 5, kh, kw, DilationH: 2, DilationW: 3),
            new TensorShape(1, 3, 2 * (kh - 1) + 1, 3 * (kw - 1) + 1), kh * 10 + kw + 1);
    }

    [Theory]
    [InlineData(1, 3, 1, 1)]
    [InlineData(2, 5, 2, 1)]
    [InlineData(1, 7, 3, 1)]
    [InlineData(1, 2, 1, 1)]
    [InlineData(3, 3, 1, 2)]
    [InlineData(2, 3, 3, 3)]
    [InlineData(4, 7, 5, 1)]
    public void Matches_reference_when_the_input_is_smaller_than_the_kernel_but_fits_once_padded(int size, int kernel, int pad, int dilation)
    {
        Assert.True(size < ConvArithmetic.DilatedKernel(kernel, dilation) && Fits(size, kernel, pad, dilation), "case premise");
        for (int stride = 1; stride <= 3; stride++)
        {
            CheckAgainstReference(new ConvGeometry(2, 5, kernel, kernel, stride, stride, pad, pad, dilation, dilation),
                new TensorShape(1, 2, size, size), stride);

            // Only one axis small: the other is wide enough for full vectors.
            CheckAgainstReference(new ConvGeometry(2, 5, kernel, 3, stride, 1, pad, 1, dilation, 1),
                new TensorShape(1, 2, size, 41), 10 + stride);
        }
    }

    [Theory]
    [InlineData(16, 32, 3, 1, 1, 32, 31)]
    [InlineData(3, 16, 7, 2, 3, 45, 47)]
    [InlineData(32, 32, 3, 1, 1, 19, 23)]
    public void Matches_reference_on_layers_of_realistic_size(int cin, int cout, int k, int s, int p, int h, int w)
    {
        CheckAgainstReference(new ConvGeometry(cin, cout, k, k, s, s, p, p), new TensorShape(1, cin, h, w), cin + cout);
        CheckAgainstReference(new ConvGeometry(cin, cin, k, k, s, s, p, p, Groups: cin), new TensorShape(2, cin, h, w), cin + cout + 1);
    }
}
