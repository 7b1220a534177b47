using System;
using System.Collections.Generic;
using Xunit;

namespace ConvGen.Layers.Tests;

/// <summary>
/// Generated layers of every kind and dimension against <see cref="ConvReference"/>, on sizes that hit each vector
/// width, its overlapping last vector and the scalar path, with batches of one and two.
/// </summary>
public class FamilyLayerTests
{
    internal static readonly Func<IConvLayer>[] s_layers =
    {
        () => new Seq3(), () => new Seq5S2Relu(), () => new SeqDilatedGroups(), () => new SeqSameReflect(), () => new SeqCausal(),
        () => new SeqStatic40Circular(), () => new SeqSameStridedDynamic(3, 5),
        () => new ReflectRelu6(), () => new ReplicateS2Silu(), () => new CircularTanh(), () => new SameEvenSigmoid(),
        () => new SameLowerStatic(), () => new SameStridedDynamic(), () => new AsymmetricLeaky(), () => new ValidDepthwiseRelu(),
        () => new WinogradSilu(), () => new DynamicRelu(5, 9), () => new WinogradReflect(), () => new WinogradCircular(), () => new WinogradAsymmetric(),
        () => new Volume3(), () => new VolumeMixed(), () => new VolumeDilatedGroups(), () => new VolumeStatic(), () => new VolumePointwise(),
        () => new VolumeDynamicReflect(3, 6), () => new VolumeTemporal(),
        () => new Up2x(), () => new Up2xGroups(), () => new UpSame(), () => new Up1d(), () => new Up3d(), () => new DynamicUp(5, 3),
        () => new UpPhases(), () => new UpPhasesGroups(), () => new UpPhasesPointwise(), () => new UpPhasesS3(), () => new UpPhases1d(),
        () => new UpStride1Dynamic(3, 5), () => new UpPhasesRect(), () => new UpDynamicS3(4, 6), () => new Up3dPhases(), () => new Up3dPhasesStatic(),
        () => new Sep3(), () => new Sep5S2M2(), () => new SepSameReflect(), () => new SepBands(), () => new SepStaticBands(),
        () => new SepDynamicChannels(3, 5),
    };

    private static readonly int[] s_sizes = { 1, 3, 4, 7, 9, 16, 17, 20, 33, 40 };

    public static IEnumerable<object[]> Layers()
    {
        for (int i = 0; i < s_layers.Length; i++)
        {
            yield return new object[] { i };
        }
    }

    /// <summary>Input shapes the layer accepts: every size in the list on the last axis, smaller ones on the others.</summary>
    internal static IEnumerable<TensorShape> Shapes(ConvGeometry g, int batch)
    {
        foreach (int w in s_sizes)
        {
            int h = Math.Max(1, w / 3 + 2), d = 3;
            if (g.StaticInW != 0)
            {
                yield return Shape(g, batch, g.StaticInD != 0 ? g.StaticInD : d, g.StaticInH != 0 ? g.StaticInH : h, g.StaticInW);
                yield break;
            }

            yield return Shape(g, batch, d, h, w);
        }
    }

    private static TensorShape Shape(ConvGeometry g, int n, int d, int h, int w) => g.Dimensions switch
    {
        1 => new TensorShape(n, g.InChannels, w),
        3 => new TensorShape(n, g.InChannels, d, h, w),
        _ => new TensorShape(n, g.InChannels, h, w),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Generated_family_layer_matches_reference(int index)
    {
        IConvLayer layer = s_layers[index]();
        ConvGeometry g = layer.Geometry;
        var rng = new Random(index);
        Fill(rng, layer.Weights, 1f);
        Fill(rng, layer.Bias, 1f);
        int tested = 0;
        foreach (int batch in new[] { 1, 2 })
        {
            foreach (TensorShape shape in Shapes(g, batch))
            {
                TensorShape output;
                try
                {
                    output = layer.GetOutputShape(shape);
                }
                catch (ArgumentException)
                {
                    continue; // too small for the kernel, or for reflection: the reference would refuse it too
                }

                var input = new float[shape.ElementCount];
                Fill(rng, input, 2f);
                var expected = new float[output.ElementCount];
                ConvReference.Run(g, input, shape, layer.Weights, layer.Bias, expected);
                var actual = new float[output.ElementCount];
                actual.AsSpan().Fill(float.NaN);
                layer.Forward(input, shape, actual);
                AssertClose(expected, actual, $"{layer.GetType().Name} {g} on {shape}");
                tested++;
            }
        }

        Assert.True(tested >= 2, $"only {tested} shapes fit {g}");
    }

    [Fact]
    public void Separable_layer_split_over_threads_matches_reference()
    {
        // Large enough (about 0.5 ms of work) that Threads = 2 splits the (image, band) items over two threads.
        AssertMatchesReference(new SepBands { Threads = 2 }, new TensorShape(2, 32, 64, 128), seed: 7);
    }

    [Fact]
    public void Transposed_layer_split_over_threads_matches_reference()
    {
        // Each of the 4 phases is about 0.7 ms of estimated work at this size, so Threads = 2 splits every phase.
        AssertMatchesReference(new DynamicUp(32, 32) { Threads = 2 }, new TensorShape(4, 32, 48, 64), seed: 8);
    }

    /// <summary>Seeded random weights, bias and input; the layer against the reference on one shape.</summary>
    private static void AssertMatchesReference(IConvLayer layer, TensorShape shape, int seed)
    {
        var rng = new Random(seed);
        Fill(rng, layer.Weights, 1f);
        Fill(rng, layer.Bias, 1f);
        var input = new float[shape.ElementCount];
        Fill(rng, input, 2f);
        TensorShape output = layer.GetOutputShape(shape);
        var expected = new float[output.ElementCount];
        ConvReference.Run(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        var actual = new float[output.ElementCount];
        actual.AsSpan().Fill(float.NaN);
        layer.Forward(input, shape, actual);
        AssertClose(expected, actual, $"{layer.GetType().Name} on {shape} with Threads = {layer.Threads}");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Family_layer_allocates_nothing_after_the_first_call(int index)
    {
        IConvLayer layer = s_layers[index]();
        TensorShape shape = default;
        foreach (TensorShape candidate in Shapes(layer.Geometry, 2))
        {
            shape = candidate; // the largest size the layer accepts
        }

        var input = new float[shape.ElementCount];
        var output = new float[layer.GetOutputShape(shape).ElementCount];

        Assert.Equal(0, SteadyState.AllocatedBytes(() => layer.Forward(input, shape, output)));
    }

    private static void Fill(Random rng, Span<float> values, float scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string context)
    {
        float scale = 1f;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= 1e-4f * scale))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]}, expected {expected[i]}.");
            }
        }
    }
}
