using System;
using System.Collections.Generic;
using ConvGen;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The phase-decomposed transposed kernel (<see cref="GeneralConvTransposeKernel"/>) against <see cref="ConvReference"/>:
/// 1-D, 2-D and 3-D, kernels 1 to 5, strides 1 to 4, dilations 1 to 3, symmetric, asymmetric and 'same' pads, output
/// padding, groups, batches, every activation, and crops that leave almost nothing. Input widths 1, &lt;4, 4 to 8, 16,
/// 17 and 33 give phase widths that run every vector width (run the class with DOTNET_EnableAVX512=0,
/// DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 for the narrower ones), the two-vector tile and its one-vector
/// tail.
/// </summary>
public class TransposedKernelTests
{
    private static readonly int[] s_widths = [1, 3, 4, 6, 8, 16, 17, 33];
    private static readonly int[] s_groups = [1, 2, 3];

    /// <summary>Checks one layer; returns false (and checks nothing) when the geometry or the output shape is invalid.</summary>
    private static bool Check(ConvGeometry g, TensorShape inputShape, int seed, float scale = 1f)
    {
        try
        {
            g.Validate();
            LayerGuard.OutputShape(g, inputShape, "test");
        }
        catch (ArgumentException)
        {
            return false;
        }

        Tensors.AssertLayerMatchesReference(ConvTranspose.Create(g), inputShape, seed, scale);
        return true;
    }

    /// <summary>Output paddings 0 .. min(S, D) − 1 and the largest allowed, max(S, D) − 1.</summary>
    private static IEnumerable<int> OutputPads(int s, int d)
    {
        int small = Math.Min(s, d), largest = Math.Max(s, d) - 1;
        for (int op = 0; op < small; op++)
        {
            yield return op;
        }

        if (largest >= small)
        {
            yield return largest;
        }
    }

    private static TensorShape Shape(int dims, int n, int c, int d, int h, int w) => dims switch
    {
        1 => new TensorShape(n, c, w),
        2 => new TensorShape(n, c, h, w),
        _ => new TensorShape(n, c, d, h, w),
    };

    /// <summary>A transposed layer of 6 → 6 channels, the same on every axis of <paramref name="dims"/>.</summary>
    private static ConvGeometry Layer(int dims, int k, int s, int p, int op, int d, int groups, bool bias = true)
        => ConvGeometry.ConvTranspose(dims, 6, 6, k, s, p, op, d, groups, bias);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Conv1d_sweep_matches_reference(int k)
    {
        int seed = 0, checkedCases = 0;
        for (int s = 1; s <= 4; s++)
        {
            for (int d = 1; d <= 3; d++)
            {
                for (int p = 0; p <= k; p++)
                {
                    foreach (int op in OutputPads(s, d))
                    {
                        foreach (int width in s_widths)
                        {
                            int groups = s_groups[seed % 3];
                            ConvGeometry g = Layer(1, k, s, p, op, d, groups, bias: seed % 5 != 0);
                            if (Check(g, Shape(1, 1 + seed % 2, 6, 1, 1, width), seed++))
                            {
                                checkedCases++;
                            }
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 300, $"only {checkedCases} cases ran");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Conv1d_asymmetric_pads_match_reference(int k)
    {
        int seed = 1000, checkedCases = 0;
        for (int s = 1; s <= 4; s++)
        {
            for (int d = 1; d <= 3; d++)
            {
                for (int left = 0; left <= k; left++)
                {
                    for (int right = 0; right <= k; right++)
                    {
                        if (left == right)
                        {
                            continue;
                        }

                        int op = Math.Max(s, d) - 1;
                        ConvGeometry g = Layer(1, k, s, 0, op, d, s_groups[seed % 3]) with { PadLeft = left, PadRight = right };
                        if (Check(g, Shape(1, 1, 6, 1, 1, s_widths[seed % s_widths.Length]), seed++))
                        {
                            checkedCases++;
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 10, $"only {checkedCases} cases ran");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Conv2d_sweep_matches_reference(int k)
    {
        int seed = 2000, checkedCases = 0;
        for (int s = 1; s <= 4; s++)
        {
            for (int d = 1; d <= 3; d++)
            {
                foreach (int p in new[] { 0, k / 2, k })
                {
                    foreach (int op in OutputPads(s, d))
                    {
                        int width = s_widths[seed % s_widths.Length];
                        ConvGeometry g = Layer(2, k, s, p, op, d, s_groups[seed % 3], bias: seed % 4 != 0);
                        if (Check(g, Shape(2, 1 + seed % 2, 6, 1, 1 + seed % 3, width), seed++))
                        {
                            checkedCases++;
                        }

                        // Asymmetric: different pads on each side and each axis, and different strides and dilations per axis.
                        ConvGeometry asymmetric = g with
                        {
                            PadTop = p, PadBottom = k - p, PadLeft = k - p, PadRight = p / 2,
                            StrideH = 1 + (s % 4), DilationH = 1 + (d % 3), OutputPadH = 0,
                        };
                        if (Check(asymmetric, Shape(2, 1, 6, 1, 3, s_widths[(seed + 3) % s_widths.Length]), seed++))
                        {
                            checkedCases++;
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 30, $"only {checkedCases} cases ran");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Conv3d_sweep_matches_reference(int k)
    {
        int seed = 3000, checkedCases = 0;
        for (int s = 1; s <= 4; s++)
        {
            for (int d = 1; d <= 3; d++)
            {
                foreach (int p in new[] { 0, k })
                {
                    int op = Math.Max(s, d) - 1;
                    int width = s_widths[seed % s_widths.Length];
                    ConvGeometry g = Layer(3, k, s, p, op, d, s_groups[seed % 3]);
                    if (Check(g, Shape(3, 1 + seed % 2, 6, 2, 2, width), seed++))
                    {
                        checkedCases++;
                    }

                    ConvGeometry asymmetric = g with
                    {
                        PadFront = 0, PadBack = p, PadTop = p / 2, PadBottom = 0, PadLeft = p, PadRight = p / 2,
                        StrideD = 1 + (s % 3), DilationD = 1, OutputPadD = 0, OutputPadW = 0,
                    };
                    if (Check(asymmetric, Shape(3, 1, 6, 2, 3, s_widths[(seed + 5) % s_widths.Length]), seed++))
                    {
                        checkedCases++;
                    }
                }
            }
        }

        Assert.True(checkedCases > 20, $"only {checkedCases} cases ran");
    }

    [Theory]
    [InlineData(PaddingRule.Same)]
    [InlineData(PaddingRule.SameLower)]
    [InlineData(PaddingRule.Valid)]
    public void Padding_rules_match_reference(PaddingRule rule)
    {
        int seed = 4000, checkedCases = 0;
        for (int dims = 1; dims <= 3; dims++)
        {
            for (int k = 1; k <= 5; k++)
            {
                for (int s = 1; s <= 4; s++)
                {
                    foreach (int d in new[] { 1, 2 })
                    {
                        foreach (int op in OutputPads(s, d))
                        {
                            ConvGeometry g = Layer(dims, k, s, 0, op, d, s_groups[seed % 3]) with { PaddingRule = rule };
                            int width = dims == 3 ? s_widths[seed % 5] : s_widths[seed % s_widths.Length];
                            if (Check(g, Shape(dims, 1, 6, 2, 3, width), seed++))
                            {
                                checkedCases++;
                            }
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 50, $"only {checkedCases} cases ran");
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
        // Scaled so outputs span the activations' interesting range; output padding leaves bias-only outputs.
        int seed = 5000;
        foreach (int width in new[] { 2, 7, 17 })
        {
            Assert.True(Check(Layer(1, 3, 2, 1, 1, 1, 2) with { Activation = activation, NegativeSlope = 0.2f },
                Shape(1, 2, 6, 1, 1, width), seed++, 4f));
            Assert.True(Check(Layer(2, 4, 2, 1, 1, 1, 1) with { Activation = activation, NegativeSlope = 0.2f },
                Shape(2, 1, 6, 1, 3, width), seed++, 4f));
            Assert.True(Check(Layer(3, 3, 3, 1, 2, 1, 3) with { Activation = activation },
                Shape(3, 1, 6, 2, 2, width), seed++, 4f));
        }
    }

    [Fact]
    public void Crops_that_leave_almost_nothing_match_reference()
    {
        int seed = 6000, checkedCases = 0;
        for (int dims = 1; dims <= 3; dims++)
        {
            foreach ((int k, int s, int d, int op) in new[] { (3, 2, 1, 1), (4, 3, 1, 2), (2, 1, 3, 2), (5, 4, 2, 3), (1, 3, 1, 0) })
            {
                foreach (int inW in new[] { 1, 2, 5 })
                {
                    // The full output along W is (inW − 1)·S + D·(K − 1) + 1 + op; crop to 1 and 2 outputs every way.
                    int full = (inW - 1) * s + d * (k - 1) + 1 + op;
                    for (int keep = 1; keep <= 2 && keep <= full; keep++)
                    {
                        int crop = full - keep;
                        foreach (int left in new[] { 0, crop / 2, crop })
                        {
                            ConvGeometry g = Layer(dims, k, s, 0, op, d, s_groups[seed % 3]) with { PadLeft = left, PadRight = crop - left };
                            if (Check(g, Shape(dims, 1 + seed % 2, 6, 2, 2, inW), seed++))
                            {
                                checkedCases++;
                            }
                        }
                    }
                }
            }
        }

        Assert.True(checkedCases > 60, $"only {checkedCases} cases ran");
    }

    [Fact]
    public void Wide_and_uneven_channel_counts_match_reference()
    {
        // Channel tiles of 4 with a remainder of 1, 2 and 3 per group, depthwise, and groups of unequal in/out width.
        int seed = 7000;
        foreach ((int cin, int cout, int groups) in new[] { (5, 7, 1), (6, 6, 6), (4, 12, 2), (9, 6, 3), (8, 11, 1), (3, 9, 3) })
        {
            Assert.True(Check(ConvGeometry.ConvTranspose(2, cin, cout, 3, 2, 1, 1, 1, groups), new TensorShape(2, cin, 4, 19), seed++));
            Assert.True(Check(ConvGeometry.ConvTranspose(1, cin, cout, 4, 3, 1, 2, 1, groups), new TensorShape(1, cin, 33), seed++));
            Assert.True(Check(ConvGeometry.ConvTranspose(3, cin, cout, 2, 2, 0, 1, 2, groups), new TensorShape(1, cin, 2, 3, 9), seed++));
        }
    }

    [Fact]
    public void Weight_writes_between_calls_are_honoured()
    {
        ConvGeometry g = Layer(2, 3, 2, 1, 1, 1, 1);
        var shape = new TensorShape(1, 6, 3, 5);
        IConvLayer layer = ConvTranspose.Create(g);
        var rng = new Random(8000);
        float[] input = Tensors.Random(rng, (int)shape.ElementCount);
        for (int round = 0; round < 2; round++)
        {
            Tensors.Random(rng, layer.Weights.Length).CopyTo(layer.Weights);
            Tensors.Random(rng, layer.Bias.Length).CopyTo(layer.Bias);
            var expected = new float[layer.GetOutputShape(shape).ElementCount];
            ConvReference.Run(g, input, shape, layer.Weights, layer.Bias, expected);
            Tensors.AssertClose(expected, Tensors.Forward(layer, input, shape), $"round {round}");
        }
    }
}
