using System;
using System.Collections.Generic;
using System.Reflection;
using ConvGen.Internal;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>
/// The generated weight-gradient kernels (<c>*_WeightGradient.Run</c>) against <see cref="ConvReference.Backward"/> on
/// random inputs and output gradients: every stride, dilation, group and padding shape declared in GradientLayers.cs,
/// on widths below one vector, odd widths and widths of several vectors, with batches of one and three. CI runs this
/// suite on every SIMD path, so each case covers Vector512, Vector256, Vector128 and scalar in turn.
/// </summary>
public class WeightGradientKernelTests
{
    private delegate void WeightGradientRun(ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> outputGradient, TensorShape o,
        Span<float> weightGradient, Pads pads);

    /// <summary>
    /// The layers of GradientLayers.cs. Their kernels are looked up by name: BackwardEmitter decides which layers get one
    /// (<see cref="Kernels_exist_for_the_common_convolutions"/> pins the ones that must), and only those are run.
    /// </summary>
    private static readonly (string Name, Func<IConvLayer> Create)[] s_layers =
    {
        (nameof(GradStem), () => new GradStem()),
        (nameof(GradK3), () => new GradK3()),
        (nameof(GradStride3), () => new GradStride3()),
        (nameof(GradK5), () => new GradK5()),
        (nameof(GradK7S2), () => new GradK7S2()),
        (nameof(GradPointwise), () => new GradPointwise()),
        (nameof(GradPointwiseS2), () => new GradPointwiseS2()),
        (nameof(GradRect), () => new GradRect()),
        (nameof(GradDilated2), () => new GradDilated2()),
        (nameof(GradStride2Dilated2), () => new GradStride2Dilated2()),
        (nameof(GradGroups2), () => new GradGroups2()),
        (nameof(GradDepthwise), () => new GradDepthwise()),
        (nameof(GradDepthwiseS2M2), () => new GradDepthwiseS2M2()),
        (nameof(GradSameEven), () => new GradSameEven()),
        (nameof(GradAsymmetric), () => new GradAsymmetric()),
        (nameof(GradSameLowerStatic), () => new GradSameLowerStatic()),
        (nameof(GradSeq), () => new GradSeq()),
        (nameof(GradSeqDilatedGroups), () => new GradSeqDilatedGroups()),
        (nameof(GradVolume), () => new GradVolume()),
        (nameof(GradVolumeMixed), () => new GradVolumeMixed()),
        (nameof(GradVolumeStatic), () => new GradVolumeStatic()),
        (nameof(GradDynamicStem), () => new GradDynamicStem(5, 9)),
        (nameof(GradDynamicPointwise), () => new GradDynamicPointwise(7, 13)),
        (nameof(GradStatic), () => new GradStatic()),
        (nameof(GradStaticNarrow), () => new GradStaticNarrow()),
    };

    /// <summary>Layers whose weight gradient must have a generated kernel: static channels, every dimension, stride, group and padding shape.</summary>
    private static readonly string[] s_required =
    {
        nameof(GradStem), nameof(GradK3), nameof(GradK5), nameof(GradK7S2), nameof(GradPointwise), nameof(GradRect), nameof(GradGroups2),
        nameof(GradDepthwise), nameof(GradDepthwiseS2M2), nameof(GradSameEven), nameof(GradAsymmetric), nameof(GradSameLowerStatic),
        nameof(GradSeq), nameof(GradVolume), nameof(GradVolumeMixed), nameof(GradVolumeStatic), nameof(GradStatic), nameof(GradStaticNarrow),
    };

    /// <summary>The generated <c>Run</c> of a layer's weight-gradient kernel, or null when none was generated.</summary>
    private static WeightGradientRun? Kernel(string layer)
    {
        Type? type = typeof(WeightGradientKernelTests).Assembly.GetType($"ConvGen.Generated.ConvGen_Layers_Tests_Backward_{layer}_WeightGradient");
        MethodInfo? run = type?.GetMethod("Run", BindingFlags.Public | BindingFlags.Static);
        return run?.CreateDelegate<WeightGradientRun>();
    }

    /// <summary>Widths below one vector of every width (1, 3), odd ones (7, 17, 33) and whole vectors (16, 40 = 2.5 x 16).</summary>
    private static readonly int[] s_widths = { 1, 3, 7, 16, 17, 33, 40 };

    /// <summary>Indices of the layers that have a generated kernel.</summary>
    public static IEnumerable<object[]> Layers()
    {
        for (int i = 0; i < s_layers.Length; i++)
        {
            if (Kernel(s_layers[i].Name) is not null)
            {
                yield return new object[] { i };
            }
        }
    }

    [Fact]
    public void Kernels_exist_for_the_common_convolutions()
    {
        foreach (string layer in s_required)
        {
            Assert.True(Kernel(layer) is not null, $"{layer} has no generated weight-gradient kernel.");
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Weight_gradient_matches_the_reference_for_every_width_and_batch(int layer)
    {
        IConvLayer conv = s_layers[layer].Create();
        WeightGradientRun run = Kernel(s_layers[layer].Name)!;
        int seed = 100 * layer;
        foreach (int batch in new[] { 1, 3 })
        {
            foreach (TensorShape shape in Shapes(conv.Geometry, batch))
            {
                var random = new Random(seed++);
                (float[] input, float[] outputGradient, TensorShape outputShape) = RandomPass(conv, shape, random);
                float[] expected = Reference(conv, input, shape, outputGradient);
                var actual = new float[expected.Length];
                run(input, shape, outputGradient, outputShape, actual, LayerGuard.ResolvePads(conv.Geometry, shape, "test"));
                Numerics.AssertClose(expected, actual, $"{conv.GetType().Name} weight gradient on {shape}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Weight_gradient_adds_to_what_the_span_holds(int layer)
    {
        IConvLayer conv = s_layers[layer].Create();
        WeightGradientRun run = Kernel(s_layers[layer].Name)!;
        TensorShape shape = LargestShape(conv.Geometry, batch: 2);
        var random = new Random(7 + layer);
        (float[] input, float[] outputGradient, TensorShape outputShape) = RandomPass(conv, shape, random);
        Pads pads = LayerGuard.ResolvePads(conv.Geometry, shape, "test");
        float[] once = Reference(conv, input, shape, outputGradient);
        var start = new float[once.Length];
        Numerics.Fill(start, random);

        float[] actual = (float[])start.Clone();
        run(input, shape, outputGradient, outputShape, actual, pads);
        run(input, shape, outputGradient, outputShape, actual, pads);

        var expected = new float[once.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = start[i] + 2 * once[i];
        }

        Numerics.AssertClose(expected, actual, $"{conv.GetType().Name} weight gradient run twice onto random values");
    }

    [Fact]
    public void Weight_gradient_does_not_read_stale_scratch_memory()
    {
        // Vector loops run past the last output position into the staging buffers' slack; NaN left there by an earlier
        // user of the thread's scratch memory must not reach the gradient (0 * NaN is NaN).
        foreach (string name in new[] { nameof(GradStem), nameof(GradK7S2), nameof(GradPointwise), nameof(GradDepthwise), nameof(GradVolume) })
        {
            IConvLayer conv = Array.Find(s_layers, l => l.Name == name).Create();
            WeightGradientRun run = Kernel(name)!;
            foreach (TensorShape shape in Shapes(conv.Geometry, batch: 1))
            {
                var random = new Random(name.Length);
                (float[] input, float[] outputGradient, TensorShape outputShape) = RandomPass(conv, shape, random);
                float[] expected = Reference(conv, input, shape, outputGradient);
                Scratch.Get(1 << 20).Fill(float.NaN);
                var actual = new float[expected.Length];
                run(input, shape, outputGradient, outputShape, actual, LayerGuard.ResolvePads(conv.Geometry, shape, "test"));
                Numerics.AssertClose(expected, actual, $"{conv.GetType().Name} weight gradient after NaN scratch on {shape}");
            }
        }
    }

    /// <summary>Random input and output gradient of one shape, and the output shape.</summary>
    private static (float[] Input, float[] OutputGradient, TensorShape OutputShape) RandomPass(IConvLayer conv, TensorShape shape, Random random)
    {
        TensorShape outputShape = conv.GetOutputShape(shape);
        var input = new float[shape.ElementCount];
        var outputGradient = new float[outputShape.ElementCount];
        Numerics.Fill(input, random);
        Numerics.Fill(outputGradient, random);
        return (input, outputGradient, outputShape);
    }

    /// <summary>The reference weight gradient (double precision; no activation, so the output gradient is the sum's).</summary>
    private static float[] Reference(IConvLayer conv, float[] input, TensorShape shape, float[] outputGradient)
    {
        ConvGeometry g = conv.Geometry;
        var weights = new float[g.WeightCount];
        var bias = new float[g.HasBias ? g.OutChannels : 0];
        var weightGradient = new float[g.WeightCount];
        ConvReference.Backward(g, input, shape, weights, bias, outputGradient, new float[input.Length], weightGradient, new float[bias.Length]);
        return weightGradient;
    }

    /// <summary>The layer's static shape, or every width in the list with a few rows (and planes) that the layer accepts.</summary>
    private static IEnumerable<TensorShape> Shapes(ConvGeometry g, int batch)
    {
        if (g.StaticInW != 0)
        {
            yield return Shape(g, batch, g.StaticInD != 0 ? g.StaticInD : 1, g.StaticInH != 0 ? g.StaticInH : 1, g.StaticInW);
            yield break;
        }

        foreach (int w in s_widths)
        {
            TensorShape shape = Shape(g, batch, g.Dimensions == 3 ? 4 : 1, g.Dimensions == 1 ? 1 : Math.Max(1, w / 3 + 2), w);
            if (Accepts(g, shape))
            {
                yield return shape;
            }
        }
    }

    private static TensorShape LargestShape(ConvGeometry g, int batch)
    {
        TensorShape last = default;
        foreach (TensorShape shape in Shapes(g, batch))
        {
            last = shape;
        }

        return last;
    }

    private static bool Accepts(ConvGeometry g, TensorShape shape)
    {
        try
        {
            LayerGuard.OutputShape(g, shape, "test");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static TensorShape Shape(ConvGeometry g, int n, int d, int h, int w) => g.Dimensions switch
    {
        1 => new TensorShape(n, g.InChannels, w),
        3 => new TensorShape(n, g.InChannels, d, h, w),
        _ => new TensorShape(n, g.InChannels, h, w),
    };
}
