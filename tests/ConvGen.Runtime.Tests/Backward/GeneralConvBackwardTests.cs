using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests.Backward;

/// <summary>
/// The general float backward pass against the double-precision oracle (<see cref="ConvReference.Backward"/>, itself
/// checked against central differences) on every kind, dimension, stride, dilation, grouping, padding rule and mode,
/// plus its contract: dX is overwritten or skipped, weight and bias gradients accumulate, bad lengths name the sizes,
/// nothing is allocated after the first call, and the forward pass's scratch is left alone.
/// </summary>
public sealed class GeneralConvBackwardTests
{
    private static readonly (string Name, ConvGeometry Geometry, TensorShape Input)[] Layers =
    {
        ("conv1d k3 p1 batch 2", ConvGeometry.Conv1d(2, 3, 3, padding: 1), new TensorShape(2, 2, 9)),
        ("conv1d k3 s3 d2 p2", ConvGeometry.Conv1d(3, 2, 3, stride: 3, padding: 2, dilation: 2), new TensorShape(1, 3, 17)),
        ("conv1d circular pad as long as the input", ConvGeometry.Conv1d(2, 2, 9, padding: 4) with { PaddingMode = PaddingMode.Circular }, new TensorShape(1, 2, 4)),
        ("conv2d k3 p1 batch 2", ConvGeometry.Conv2d(3, 4, 3, padding: 1), new TensorShape(2, 3, 6, 7)),
        ("conv2d k3 s2 p1", ConvGeometry.Conv2d(2, 5, 3, stride: 2, padding: 1), new TensorShape(1, 2, 9, 11)),
        ("conv2d k4 s3 p1 batch 2", ConvGeometry.Conv2d(2, 3, 4, stride: 3, padding: 1), new TensorShape(2, 2, 10, 13)),
        ("conv2d k3 d2 p2", ConvGeometry.Conv2d(2, 3, 3, padding: 2, dilation: 2), new TensorShape(1, 2, 8, 9)),
        ("conv2d groups 2", ConvGeometry.Conv2d(4, 6, 3, padding: 1, groups: 2), new TensorShape(2, 4, 5, 6)),
        ("depthwise k3 p1", ConvGeometry.Conv2d(4, 4, 3, padding: 1, groups: 4), new TensorShape(1, 4, 7, 9)),
        ("depthwise multiplier 2 s2", ConvGeometry.Conv2d(3, 6, 3, stride: 2, padding: 1, groups: 3), new TensorShape(1, 3, 8, 8)),
        ("conv2d asymmetric explicit pads", ConvGeometry.Conv2d(2, 3, 3) with { PadTop = 2, PadBottom = 0, PadLeft = 0, PadRight = 1 }, new TensorShape(1, 2, 6, 7)),
        ("conv2d same k4", ConvGeometry.Conv2d(2, 3, 4) with { PaddingRule = PaddingRule.Same }, new TensorShape(1, 2, 7, 8)),
        ("conv2d same k3 s2 batch 2", ConvGeometry.Conv2d(2, 3, 3, stride: 2) with { PaddingRule = PaddingRule.Same }, new TensorShape(2, 2, 9, 10)),
        ("conv2d same-lower k4 s2", ConvGeometry.Conv2d(2, 2, 4, stride: 2) with { PaddingRule = PaddingRule.SameLower }, new TensorShape(1, 2, 7, 8)),
        ("conv2d valid no bias", ConvGeometry.Conv2d(3, 2, 3, bias: false) with { PaddingRule = PaddingRule.Valid }, new TensorShape(1, 3, 5, 6)),
        ("conv2d reflect p2", ConvGeometry.Conv2d(2, 3, 3, padding: 2) with { PaddingMode = PaddingMode.Reflect }, new TensorShape(1, 2, 6, 7)),
        ("conv2d replicate s2 p2 batch 2", ConvGeometry.Conv2d(2, 3, 3, stride: 2, padding: 2) with { PaddingMode = PaddingMode.Replicate }, new TensorShape(2, 2, 7, 9)),
        ("conv2d circular asymmetric", ConvGeometry.Conv2d(2, 3, 3) with
        {
            PaddingMode = PaddingMode.Circular, PadTop = 1, PadBottom = 2, PadLeft = 2, PadRight = 0,
        }, new TensorShape(1, 2, 5, 6)),
        ("conv2d reflect same s2", ConvGeometry.Conv2d(2, 2, 5, stride: 2) with { PaddingRule = PaddingRule.Same, PaddingMode = PaddingMode.Reflect }, new TensorShape(1, 2, 9, 8)),
        ("conv2d 1x1 batch 2", ConvGeometry.Conv2d(5, 7, 1), new TensorShape(2, 5, 4, 6)),
        ("conv2d 1x1 s2", ConvGeometry.Conv2d(3, 4, 1, stride: 2), new TensorShape(1, 3, 7, 7)),
        ("conv2d long rows s2", ConvGeometry.Conv2d(2, 6, 3, stride: 2, padding: 1), new TensorShape(1, 2, 5, 75)),
        ("conv2d long rows reflect", ConvGeometry.Conv2d(2, 2, 3, padding: 1) with { PaddingMode = PaddingMode.Reflect }, new TensorShape(1, 2, 3, 41)),
        ("conv3d k3 p1", ConvGeometry.Conv3d(2, 5, 3, padding: 1), new TensorShape(1, 2, 4, 5, 6)),
        ("conv3d k3 s2 p1 reflect batch 2", ConvGeometry.Conv3d(2, 2, 3, stride: 2, padding: 1) with { PaddingMode = PaddingMode.Reflect }, new TensorShape(2, 2, 5, 5, 6)),
        ("conv3d k2 d2 p1 groups 2 replicate", ConvGeometry.Conv3d(4, 4, 2, padding: 1, dilation: 2, groups: 2) with { PaddingMode = PaddingMode.Replicate }, new TensorShape(1, 4, 4, 5, 5)),
        ("transposed2d k3 s2 p1 op1 batch 2", ConvGeometry.ConvTranspose(2, 3, 2, 3, stride: 2, padding: 1, outputPadding: 1), new TensorShape(2, 3, 4, 5)),
        ("transposed2d k4 s2 p1", ConvGeometry.ConvTranspose(2, 3, 4, 4, stride: 2, padding: 1), new TensorShape(1, 3, 3, 4)),
        ("transposed2d groups 2", ConvGeometry.ConvTranspose(2, 4, 6, 3, padding: 1, groups: 2), new TensorShape(1, 4, 5, 6)),
        ("transposed2d k3 s2 d2 p2", ConvGeometry.ConvTranspose(2, 2, 3, 3, stride: 2, padding: 2, dilation: 2), new TensorShape(1, 2, 5, 5)),
        ("transposed2d stride 1 no padding", ConvGeometry.ConvTranspose(2, 3, 2, 3), new TensorShape(1, 3, 4, 5)),
        ("transposed2d same s2", ConvGeometry.ConvTranspose(2, 2, 2, 4, stride: 2) with { PaddingRule = PaddingRule.Same }, new TensorShape(1, 2, 3, 4)),
        ("transposed2d long rows s3", ConvGeometry.ConvTranspose(2, 2, 5, 4, stride: 3, padding: 1, outputPadding: 2, bias: false), new TensorShape(1, 2, 2, 23)),
        ("transposed1d k4 s3 p1 op2 batch 2", ConvGeometry.ConvTranspose(1, 3, 2, 4, stride: 3, padding: 1, outputPadding: 2), new TensorShape(2, 3, 7)),
        ("transposed1d groups 2 d2", ConvGeometry.ConvTranspose(1, 4, 2, 3, stride: 2, dilation: 2, groups: 2), new TensorShape(2, 4, 5)),
        ("transposed3d k3 s2 p1 op1", ConvGeometry.ConvTranspose(3, 2, 3, 3, stride: 2, padding: 1, outputPadding: 1), new TensorShape(1, 2, 3, 3, 4)),
        ("separable k3 p1 batch 2", ConvGeometry.SeparableConv2d(3, 4, 3, padding: 1), new TensorShape(2, 3, 6, 7)),
        ("separable k3 p1 multiplier 2", ConvGeometry.SeparableConv2d(2, 5, 3, padding: 1, depthMultiplier: 2), new TensorShape(1, 2, 5, 9)),
        ("separable reflect s2 batch 2", ConvGeometry.SeparableConv2d(2, 3, 3, stride: 2, padding: 1) with { PaddingMode = PaddingMode.Reflect }, new TensorShape(2, 2, 9, 9)),
        ("separable d2 valid multiplier 2 no bias", ConvGeometry.SeparableConv2d(2, 2, 3, dilation: 2, depthMultiplier: 2, bias: false), new TensorShape(1, 2, 7, 8)),
        ("separable long rows s2 replicate", ConvGeometry.SeparableConv2d(2, 3, 3, stride: 2, padding: 1) with { PaddingMode = PaddingMode.Replicate }, new TensorShape(1, 2, 4, 40)),
    };

    public static TheoryData<string> Cases() => new(Layers.Select(l => l.Name));

    /// <summary>Seeded random input, weights, bias and output gradient for a case.</summary>
    private sealed record Case(string Name, ConvGeometry G, TensorShape In, TensorShape Out, float[] X, float[] W, float[] B, float[] Dz);

    private static Case Make(string name)
    {
        (string _, ConvGeometry g, TensorShape input) = Layers.Single(l => l.Name == name);
        var rng = new Random(name.Aggregate(17, (h, c) => h * 31 + c));
        TensorShape output = LayerGuard.OutputShape(g, input, "test");
        return new Case(name, g, input, output, Tensors.Random(rng, (int)input.ElementCount), Tensors.Random(rng, g.WeightCount),
            Tensors.Random(rng, g.HasBias ? g.OutChannels : 0), Tensors.Random(rng, (int)output.ElementCount));
    }

    /// <summary>The oracle's gradients; its geometry has no activation, so its dZ is the output gradient given.</summary>
    private static (float[] Dx, float[] Dw, float[] Db) Oracle(Case c)
    {
        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        ConvReference.Backward(c.G with { Activation = Activation.None }, c.X, c.In, c.W, c.B, c.Dz, dx, dw, db);
        return (dx, dw, db);
    }

    /// <summary>Runs the general backward into a NaN-filled dX and zeroed dW, dB (dX empty when not wanted).</summary>
    private static (float[] Dx, float[] Dw, float[] Db) General(Case c, bool inputGradient = true, ConvGeometry? geometry = null)
    {
        var dx = new float[inputGradient ? c.X.Length : 0];
        dx.AsSpan().Fill(float.NaN);
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        GeneralConvBackward.Backward(geometry ?? c.G, c.X, c.In, c.W, c.Dz, c.Out, dx, dw, db);
        return (dx, dw, db);
    }

    /// <summary>|actual − expected| ≤ 1e-4 · max |expected| everywhere (NaN fails).</summary>
    private static void AssertClose(float[] expected, float[] actual, string context, double relative = 1e-4)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: expected {expected.Length} values, got {actual.Length}.");
        double scale = expected.Length == 0 ? 0 : expected.Max(v => Math.Abs((double)v));
        double tolerance = relative * Math.Max(scale, 1e-6);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - (double)expected[i]) <= tolerance))
            {
                Assert.Fail(string.Format(CultureInfo.InvariantCulture, "{0}: element {1} is {2}, expected {3} (tolerance {4}).",
                    context, i, actual[i], expected[i], tolerance));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_gradient_matches_the_double_precision_oracle(string name)
    {
        Case c = Make(name);
        (float[] dx, float[] dw, float[] db) = Oracle(c);
        (float[] gx, float[] gw, float[] gb) = General(c);
        AssertClose(dx, gx, $"{name} ({c.G} on {c.In}): dX");
        AssertClose(dw, gw, $"{name} ({c.G} on {c.In}): dW");
        AssertClose(db, gb, $"{name} ({c.G} on {c.In}): dB");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Skipping_the_input_gradient_leaves_the_weight_and_bias_gradients_unchanged(string name)
    {
        Case c = Make(name);
        (_, float[] withDw, float[] withDb) = General(c);
        (float[] skipped, float[] dw, float[] db) = General(c, inputGradient: false);
        Assert.Empty(skipped);
        AssertClose(withDw, dw, name + ": dW without dX", 1e-6);
        AssertClose(withDb, db, name + ": dB without dX", 1e-6);
    }

    [Theory]
    [InlineData("conv2d replicate s2 p2 batch 2")]
    [InlineData("transposed2d k3 s2 p1 op1 batch 2")]
    [InlineData("separable reflect s2 batch 2")]
    [InlineData("conv3d k3 p1")]
    public void Weight_and_bias_gradients_accumulate_while_the_input_gradient_is_overwritten(string name)
    {
        Case c = Make(name);
        (float[] once, float[] dwOnce, float[] dbOnce) = General(c);
        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, dx, dw, db);
        dx.AsSpan().Fill(1e6f); // stale values the second call must overwrite
        GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, dx, dw, db);

        AssertClose(once, dx, name + ": dX after two calls", 1e-6);
        AssertClose(dwOnce.Select(v => 2 * v).ToArray(), dw, name + ": dW after two calls", 1e-6);
        AssertClose(dbOnce.Select(v => 2 * v).ToArray(), db, name + ": dB after two calls", 1e-6);
    }

    [Theory]
    [InlineData("conv2d k3 s2 p1")]
    [InlineData("transposed1d groups 2 d2")]
    [InlineData("separable k3 p1 multiplier 2")]
    public void The_geometry_activation_is_ignored_because_the_gradient_is_already_pre_activation(string name)
    {
        Case c = Make(name);
        (float[] dx, float[] dw, float[] db) = General(c);
        (float[] ax, float[] aw, float[] ab) = General(c, geometry: c.G with { Activation = Activation.Sigmoid });
        Assert.Equal(dx, ax);
        Assert.Equal(dw, aw);
        Assert.Equal(db, ab);
    }

    [Fact]
    public void An_empty_bias_gradient_skips_the_bias_and_a_geometry_without_bias_still_sums_when_asked()
    {
        Case c = Make("conv2d valid no bias");
        var dw = new float[c.W.Length];
        GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, new float[c.X.Length], dw, Span<float>.Empty);

        var db = new float[c.G.OutChannels];
        GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, Span<float>.Empty, new float[c.W.Length], db);
        int plane = (int)c.Out.SpatialSize;
        for (int oc = 0; oc < c.G.OutChannels; oc++)
        {
            double sum = 0;
            for (int n = 0; n < c.Out.N; n++)
            {
                sum += c.Dz.AsSpan((n * c.G.OutChannels + oc) * plane, plane).ToArray().Sum(v => (double)v);
            }

            Assert.True(Math.Abs(sum - db[oc]) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"channel {oc}: {db[oc]}, expected {sum}");
        }
    }

    // conv2d 3 -> 4, k3 p1 on [2, 3, 4, 8]: 192 inputs, 256 outputs ([2, 4, 4, 8]), 108 weights, 4 biases.
    private static readonly ConvGeometry SmallConv = ConvGeometry.Conv2d(3, 4, 3, padding: 1);
    private static readonly TensorShape SmallInput = new(2, 3, 4, 8);

    public static TheoryData<string, string, string> BadLengths() => new()
    {
        { "input", "input has 191 elements", "input shape [N=2, C=3, H=4, W=8] needs exactly 192" },
        { "preActivationGradient", "preActivationGradient has 255 elements", "output shape [N=2, C=4, H=4, W=8] needs exactly 256" },
        { "inputGradient", "inputGradient has 193 elements", "needs exactly 192 (or 0 to skip it)" },
        { "weights", "weights has 107 elements", "needs exactly 108" },
        { "weightGradient", "weightGradient has 109 elements", "needs exactly 108" },
        { "biasGradient", "biasGradient has 3 elements", "needs exactly 4, one per output channel (or 0 to skip it)" },
        { "outputShape", "output shape [N=2, C=4, H=5, W=8]", "which is [N=2, C=4, H=4, W=8]" },
    };

    [Theory]
    [MemberData(nameof(BadLengths))]
    public void A_span_of_the_wrong_length_throws_naming_the_expected_and_actual_sizes(string wrong, string actual, string expected)
    {
        TensorShape output = LayerGuard.OutputShape(SmallConv, SmallInput, "test");
        Assert.Equal(new TensorShape(2, 4, 4, 8), output);
        int x = 192, y = 256, w = 108, b = 4, dx = 192, dw = 108;
        TensorShape claimed = output;
        switch (wrong)
        {
            case "input": x--; break;
            case "preActivationGradient": y--; break;
            case "inputGradient": dx++; break;
            case "weights": w--; break;
            case "weightGradient": dw++; break;
            case "biasGradient": b--; break;
            default: claimed = output with { H = 5 }; break;
        }

        ArgumentException error = Assert.Throws<ArgumentException>(() => GeneralConvBackward.Backward(SmallConv, new float[x], SmallInput,
            new float[w], new float[y], claimed, new float[dx], new float[dw], new float[b]));
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(wrong, error.ParamName);
    }

    [Fact]
    public void Channel_sums_add_each_channel_over_the_batch_and_check_their_lengths()
    {
        var rng = new Random(5);
        const int batch = 3, channels = 5, spatial = 37;
        float[] dz = Tensors.Random(rng, batch * channels * spatial);
        float[] sums = { 1, 2, 3, 4, 5 };
        GeneralConvBackward.AddChannelSums(dz, batch, channels, spatial, sums);
        for (int c = 0; c < channels; c++)
        {
            double expected = c + 1;
            for (int n = 0; n < batch; n++)
            {
                for (int i = 0; i < spatial; i++)
                {
                    expected += dz[(n * channels + c) * spatial + i];
                }
            }

            Assert.True(Math.Abs(expected - sums[c]) <= 1e-5, $"channel {c}: {sums[c]}, expected {expected}");
        }

        string tooShort = Assert.Throws<ArgumentException>(() => GeneralConvBackward.AddChannelSums(dz.AsSpan(1), batch, channels, spatial, sums)).Message;
        Assert.Contains("has 554 elements", tooShort, StringComparison.Ordinal);
        Assert.Contains("needs exactly 555", tooShort, StringComparison.Ordinal);
        string wrongChannels = Assert.Throws<ArgumentException>(() => GeneralConvBackward.AddChannelSums(dz, batch, channels, spatial, new float[4])).Message;
        Assert.Contains("biasGradient has 4 elements but C = 5", wrongChannels, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conv2d replicate s2 p2 batch 2")]
    [InlineData("conv3d k3 s2 p1 reflect batch 2")]
    [InlineData("conv2d 1x1 batch 2")]
    [InlineData("transposed2d k3 s2 p1 op1 batch 2")]
    [InlineData("separable reflect s2 batch 2")]
    public void Nothing_is_allocated_after_the_first_call(string name)
    {
        Case c = Make(name);
        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, dx, dw, db);
            GeneralConvBackward.Backward(c.G, c.X, c.In, c.W, c.Dz, c.Out, Span<float>.Empty, dw, db);
        }));
    }

    [Theory]
    [InlineData("separable reflect s2 batch 2")]
    [InlineData("conv3d k3 s2 p1 reflect batch 2")]
    [InlineData("transposed2d k3 s2 p1 op1 batch 2")]
    public void A_forward_scratch_span_held_by_the_caller_survives_the_call(string name)
    {
        Case c = Make(name);
        Span<float> held = Scratch.Get(4096);
        for (int i = 0; i < held.Length; i++)
        {
            held[i] = i;
        }

        General(c);
        for (int i = 0; i < held.Length; i++)
        {
            Assert.Equal(i, held[i]);
        }
    }

    [Fact]
    public void Concurrent_calls_on_several_threads_give_the_sequential_results()
    {
        string[] names = { "conv2d replicate s2 p2 batch 2", "transposed2d k3 s2 p1 op1 batch 2", "separable reflect s2 batch 2", "conv3d k3 p1" };
        Case[] cases = names.Select(Make).ToArray();
        (float[] Dx, float[] Dw, float[] Db)[] sequential = cases.Select(c => General(c)).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            Case c = cases[i % cases.Length];
            (float[] dx, float[] dw, float[] db) = General(c);
            (float[] ex, float[] ew, float[] eb) = sequential[i % cases.Length];
            Assert.Equal(ex, dx);
            Assert.Equal(ew, dw);
            Assert.Equal(eb, db);
        });
    }
}
