using System;
using System.Collections.Generic;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The general kernels of the whole family (1-D, 3-D, transposed, separable, every padding rule and mode, every
/// activation) against <see cref="ConvReference"/>. Output widths straddle 4, 8 and 16 so every vector width, its
/// overlapping last vector and the scalar path run.
/// </summary>
public class GeneralFamilySweepTests
{
    internal static void Check(ConvGeometry g, TensorShape inputShape, int seed)
        => Tensors.AssertLayerMatchesReference(ConvLayers.Create(g), inputShape, seed);

    private static readonly PaddingMode[] s_modes = [PaddingMode.Zeros, PaddingMode.Reflect, PaddingMode.Replicate, PaddingMode.Circular];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Conv1d_matches_reference_across_stride_padding_dilation_groups(int kernel)
    {
        int seed = 0;
        foreach (int length in new[] { 5, 12, 19, 40 })
        {
            foreach ((int s, int d) in new[] { (1, 1), (2, 1), (1, 2), (3, 2) })
            {
                foreach (int groups in new[] { 1, 2 })
                {
                    for (int p = 0; p <= kernel; p++)
                    {
                        ConvGeometry g = ConvGeometry.Conv1d(4, 6, kernel, s, p, d, groups);
                        if (ConvArithmetic.Fits(length, kernel, p, p, d))
                        {
                            Check(g, new TensorShape(2, 4, length), seed++);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 3, 3)]
    [InlineData(2, 3, 4)]
    public void Conv3d_matches_reference(int kd, int kh, int kw)
    {
        int seed = 0;
        foreach ((int s, int p, int d) in new[] { (1, 0, 1), (1, 1, 1), (2, 1, 1), (1, 2, 2), (2, 0, 1) })
        {
            foreach (int groups in new[] { 1, 3 })
            {
                var g = new ConvGeometry(3, 6, kh, kw, s, s, p, p, d, d, groups)
                {
                    Dimensions = 3, KernelD = kd, StrideD = s, PadD = p, DilationD = d,
                };
                var shape = new TensorShape(2, 3, 5, 7, 18);
                if (ConvArithmetic.Fits(5, kd, p, p, d) && ConvArithmetic.Fits(7, kh, p, p, d))
                {
                    Check(g, shape, seed++);
                }
            }
        }
    }

    [Fact]
    public void Every_padding_mode_with_asymmetric_pads_matches_reference_in_every_dimension()
    {
        int seed = 0;
        foreach (PaddingMode mode in s_modes)
        {
            foreach ((int begin, int end) in new[] { (0, 1), (2, 1), (1, 3), (3, 0) })
            {
                Check(ConvGeometry.Conv1d(3, 5, 3) with { PadLeft = begin, PadRight = end, PaddingMode = mode }, new TensorShape(2, 3, 9), seed++);
                Check(ConvGeometry.Conv1d(3, 5, 3, stride: 2) with { PadLeft = begin, PadRight = end, PaddingMode = mode }, new TensorShape(1, 3, 21), seed++);
                Check(ConvGeometry.Conv2d(3, 5, 3) with { PadTop = begin, PadBottom = end, PadLeft = end, PadRight = begin, PaddingMode = mode },
                    new TensorShape(2, 3, 6, 19), seed++);
                Check(ConvGeometry.Conv2d(2, 4, 3, stride: 2) with { PadTop = end, PadBottom = begin, PadLeft = begin, PadRight = end, PaddingMode = mode },
                    new TensorShape(1, 2, 7, 33), seed++);
                Check(ConvGeometry.Conv3d(2, 3, 3) with { PadFront = begin, PadBack = end, PadTop = end, PadBottom = begin, PadLeft = begin, PadRight = end, PaddingMode = mode },
                    new TensorShape(1, 2, 4, 5, 9), seed++);
            }
        }
    }

    [Theory]
    [InlineData(PaddingRule.Same)]
    [InlineData(PaddingRule.SameLower)]
    [InlineData(PaddingRule.Valid)]
    public void Padding_rules_match_reference_and_keep_ceil_input_over_stride(PaddingRule rule)
    {
        int seed = 0;
        foreach (int kernel in new[] { 1, 2, 3, 4, 5 })
        {
            foreach ((int s, int d) in new[] { (1, 1), (2, 1), (1, 2), (3, 1) })
            {
                foreach (int size in new[] { 7, 8, 16, 17 })
                {
                    ConvGeometry g = ConvGeometry.Conv2d(2, 3, kernel, s, 0, d) with { PaddingRule = rule };
                    if (rule == PaddingRule.Valid && !ConvArithmetic.Fits(size - 2, kernel, 0, 0, d))
                    {
                        continue;
                    }

                    var shape = new TensorShape(1, 2, size - 2, size);
                    TensorShape o = ConvLayers.Create(g).GetOutputShape(shape);
                    if (rule != PaddingRule.Valid)
                    {
                        Assert.Equal((size - 2 + s - 1) / s, o.H);
                        Assert.Equal((size + s - 1) / s, o.W);
                    }

                    Check(g, shape, seed++);
                    Check(ConvGeometry.Conv1d(2, 3, kernel, s, 0, d) with { PaddingRule = rule }, new TensorShape(1, 2, size), seed++);
                }
            }
        }
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.ReLU6)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.SiLU)]
    public void Every_activation_is_applied_after_the_bias(Activation activation)
    {
        int seed = 0;
        foreach (int width in new[] { 3, 8, 13, 16, 29 })
        {
            // Inputs and weights scaled up so outputs span the activations' interesting range (beyond 6 for ReLU6).
            ConvGeometry g = ConvGeometry.Conv2d(5, 6, 3, padding: 1) with { Activation = activation, NegativeSlope = 0.2f };
            CheckScaled(g, new TensorShape(2, 5, 4, width), seed++, 4f);
            CheckScaled(ConvGeometry.Conv1d(5, 3, 3) with { Activation = activation }, new TensorShape(1, 5, width + 2), seed++, 4f);
            CheckScaled(ConvGeometry.ConvTranspose(2, 5, 3, 3, stride: 2) with { Activation = activation }, new TensorShape(1, 5, 3, width), seed++, 4f);
            CheckScaled(ConvGeometry.SeparableConv2d(5, 3, 3, padding: 1) with { Activation = activation }, new TensorShape(1, 5, 3, width), seed++, 4f);
        }
    }

    private static void CheckScaled(ConvGeometry g, TensorShape inputShape, int seed, float scale)
        => Tensors.AssertLayerMatchesReference(ConvLayers.Create(g), inputShape, seed, scale);

    public static IEnumerable<object[]> TransposedCases()
    {
        for (int dims = 1; dims <= 3; dims++)
        {
            foreach ((int k, int s, int p, int op, int d) in new[]
            {
                (1, 1, 0, 0, 1), (3, 1, 0, 0, 1), (3, 2, 1, 1, 1), (4, 2, 1, 0, 1), (3, 3, 0, 2, 1), (2, 2, 0, 1, 2), (3, 1, 1, 0, 2), (5, 2, 2, 1, 1),
            })
            {
                yield return new object[] { dims, k, s, p, op, d };
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransposedCases))]
    public void Transposed_matches_reference(int dims, int k, int s, int p, int op, int d)
    {
        int seed = 0;
        foreach (int groups in new[] { 1, 2 })
        {
            ConvGeometry g = ConvGeometry.ConvTranspose(dims, 4, 6, k, s, p, op, d, groups);
            TensorShape shape = dims switch
            {
                1 => new TensorShape(2, 4, 9),
                2 => new TensorShape(2, 4, 3, 10),
                _ => new TensorShape(1, 4, 2, 3, 7),
            };
            Check(g, shape, seed++);
            Check(g with { PaddingRule = PaddingRule.Same, PadD = 0, PadH = 0, PadW = 0 }, shape, seed++);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 1, 2)]
    [InlineData(3, 1, 3)]
    public void Separable_matches_reference(int k, int s, int multiplier)
    {
        int seed = 0;
        foreach (int width in new[] { 5, 16, 23 })
        {
            Check(ConvGeometry.SeparableConv2d(3, 8, k, s, k / 2, 1, multiplier), new TensorShape(2, 3, 6, width), seed++);
            Check(ConvGeometry.SeparableConv2d(4, 5, k, s, 0, 1, multiplier, bias: false) with { PaddingMode = PaddingMode.Reflect, PadH = k / 2, PadW = k / 2 },
                new TensorShape(1, 4, 5, width), seed++);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    public void Separable_in_bands_of_one_or_a_few_rows_matches_reference(int stride, int multiplier)
    {
        // 32 channels x multiplier and 70-pixel rows: the kernel's band buffer holds only a row or two at a time,
        // so every band boundary (and the short last band) is crossed.
        Check(ConvGeometry.SeparableConv2d(32, 8, 3, stride, 1, 1, multiplier) with { Activation = Activation.ReLU }, new TensorShape(2, 32, 19, 70), stride);
    }
}
