using System;
using System.Collections.Generic;
using Xunit;

namespace ConvGen.Layers.Tests;

/// <summary>Every generated layer against the reference, on several input sizes and batches.</summary>
public class LayerVersusReferenceTests
{
    // Sizes chosen to hit every row path: narrower than every vector (scalar), between vector widths, exact multiples
    // of 16, one past them (overlapping last vector), and odd/prime sizes where a stride does not divide.
    private static readonly (int H, int W)[] Sizes = { (1, 1), (3, 3), (5, 7), (7, 4), (9, 13), (8, 16), (11, 17), (6, 33), (13, 40) };

    private static readonly Func<IConvLayer>[] FixedLayers =
    {
        () => new K3P1S1(), () => new K5P2S1(), () => new K1P0S1(), () => new Stem(),
        () => new Rect3x5(), () => new Row1x7(), () => new Dilated2(), () => new Dilated3(), () => new DilatedW(),
        () => new Stride3(), () => new StrideW2(), () => new Stride2Dilated2(), () => new PadLargerThanKernel(),
        () => new Even4S2(), () => new K7S2(), () => new Single(), () => new Out17(), () => new In17(), () => new NoBias(),
        () => new Groups2(), () => new Depthwise5(), () => new DepthwiseMultiplier2(), () => new Depthwise17S2(),
        () => new Groups4K5(), () => new StaticWidthOnly(), () => new Fallback9x9(),
        () => new DynamicStem(3, 32), () => new DynamicStem(5, 17), () => new DynamicStem(1, 1),
        () => new DynamicGroups(4, 6), () => new DynamicGroups(6, 2), () => new DynamicPointwise(17, 5),
        () => new DynamicDilated(3, 9), () => new RecordLayer(),
    };

    public static IEnumerable<object[]> Layers()
    {
        for (int i = 0; i < FixedLayers.Length; i++)
        {
            yield return new object[] { i };
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Generated_layer_matches_reference_on_every_fitting_size(int index)
    {
        IConvLayer layer = FixedLayers[index]();
        ConvGeometry g = layer.Geometry;
        int tested = 0;
        foreach ((int h, int w) in Sizes)
        {
            if (g.StaticInW != 0 && w != g.StaticInW)
            {
                continue;
            }

            if (!ConvArithmetic.Fits(h, g.KernelH, g.PadH, g.PadH, g.DilationH) || !ConvArithmetic.Fits(w, g.KernelW, g.PadW, g.PadW, g.DilationW))
            {
                continue;
            }

            Numerics.AssertMatchesReference(layer, new TensorShape(1, g.InChannels, h, w), seed: h * 100 + w);
            tested++;
        }

        if (g.StaticInW != 0)
        {
            Numerics.AssertMatchesReference(layer, new TensorShape(2, g.InChannels, 10, g.StaticInW), seed: 7);
            tested++;
        }

        Assert.True(tested >= 1, "no size was tested");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Generated_layer_matches_reference_on_a_batch(int index)
    {
        IConvLayer layer = FixedLayers[index]();
        ConvGeometry g = layer.Geometry;
        int w = g.StaticInW != 0 ? g.StaticInW : 23;
        Numerics.AssertMatchesReference(layer, new TensorShape(3, g.InChannels, 19, w), seed: 3);
    }

    public static IEnumerable<object[]> StaticLayers() => new[]
    {
        new object[] { new Static13x21() },
        new object[] { new StaticStem32() },
        new object[] { new StaticExactlyKernel() },
        new object[] { new StaticSmallerThanKernel() },
        new object[] { new StaticStrideRemainder() },
    };

    [Theory]
    [MemberData(nameof(StaticLayers))]
    public void Layer_with_static_size_matches_reference(IConvLayer layer)
    {
        ConvGeometry g = layer.Geometry;
        Numerics.AssertMatchesReference(layer, new TensorShape(1, g.InChannels, g.StaticInH, g.StaticInW), seed: 11);
        Numerics.AssertMatchesReference(layer, new TensorShape(2, g.InChannels, g.StaticInH, g.StaticInW), seed: 12);
    }

    [Fact]
    public void Seed_stem_example_runs_on_a_224_image()
    {
        Numerics.AssertMatchesReference(new Stem(), new TensorShape(1, 3, 224, 224), seed: 224);
    }

    [Fact]
    public void Depthwise_layer_matches_reference_on_a_wide_image()
    {
        Numerics.AssertMatchesReference(new Depthwise17S2(), new TensorShape(1, 17, 20, 70), seed: 70);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Generated_layer_split_over_threads_matches_reference(int index)
    {
        IConvLayer layer = FixedLayers[index]();
        ConvGeometry g = layer.Geometry;
        int w = g.StaticInW != 0 ? g.StaticInW : 37;
        foreach (int threads in new[] { 2, 3 })
        {
            layer.Threads = threads;
            Numerics.AssertMatchesReference(layer, new TensorShape(3, g.InChannels, 21, w), seed: threads);
            Numerics.AssertMatchesReference(layer, new TensorShape(1, g.InChannels, 9, w), seed: threads + 10);
        }
    }

    [Fact]
    public void Concurrent_forward_calls_on_one_layer_give_the_right_results()
    {
        // Two callers at once: one gets the worker pool, the other runs alone; both must be right.
        var layer = new K3P1S1 { Threads = 2 };
        var shape = new TensorShape(2, 4, 40, 41);
        var random = new Random(5);
        Numerics.Fill(layer.Weights, random);
        Numerics.Fill(layer.Bias, random);
        var input = new float[shape.ElementCount];
        Numerics.Fill(input, random);
        TensorShape o = layer.GetOutputShape(shape);
        var expected = new float[o.ElementCount];
        ConvReference.Conv2d(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        System.Threading.Tasks.Parallel.For(0, 8, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var actual = new float[o.ElementCount];
            for (int i = 0; i < 20; i++)
            {
                layer.Forward(input, shape, actual);
                Numerics.AssertClose(expected, actual, "concurrent forward");
            }
        });
    }

    [Fact]
    public async System.Threading.Tasks.Task Threaded_calls_separated_by_idle_gaps_never_lose_a_wake_up()
    {
        // Between calls the worker spins ~50 us and then sleeps; every gap here is longer, so each call must wake it.
        // A lost wake-up would hang the call, so the loop runs under a time limit instead of hanging the test run.
        var layer = new K3P1S1 { Threads = 2 };
        var shape = new TensorShape(1, 4, 96, 96);
        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];
        var run = System.Threading.Tasks.Task.Run(() =>
        {
            for (int i = 0; i < 150; i++)
            {
                layer.Forward(input, shape, output);
                System.Threading.Thread.Sleep(1);
            }
        });
        var limit = System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(60));
        Assert.True(await System.Threading.Tasks.Task.WhenAny(run, limit) == run, "a threaded Forward did not finish: a worker missed its wake-up");
        await run;
    }
}
