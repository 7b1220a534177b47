using System;
using System.Linq;
using ConvGen.Internal;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>
/// A backward pass split over threads by image gives the gradients of the one-thread pass (itself checked against the
/// reference by <see cref="ConvLayerBackwardTests"/>): every layer kind, batches that split unevenly, parameter
/// gradients added up from the parts, accumulation on top of earlier gradients, and the input gradient skipped.
/// </summary>
public class ThreadedBackwardTests
{
    private static readonly Func<IConvLayer>[] s_layers =
    {
        () => new K3P1S1(), () => new Stem(), () => new Dilated2(), () => new Depthwise5(), () => new DynamicStem(3, 4),
        () => new ReflectRelu6(), () => new ReplicateS2Silu(), () => new Volume3(), () => new Up2x(), () => new UpPhasesS3(),
        () => new Sep3(), () => new SeqSameReflect(), () => new Fallback9x9(), () => new WinogradReflect(),
    };

    public static TheoryData<int> Layers()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < s_layers.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Threaded_backward_matches_the_single_thread_pass(int index)
    {
        IConvLayer layer = s_layers[index]();
        var trainable = (ITrainableLayer)layer;
        var rng = new Random(300 + index);
        Numerics.Fill(layer.Weights, rng);
        Numerics.Fill(layer.Bias, rng);
        TensorShape shape = ShapeThatSplits(layer.Geometry);
        TensorShape outputShape = layer.GetOutputShape(shape);
        int parts = BackwardThreads.Parts(2, layer.Geometry, shape, outputShape);
        Assert.True(parts == Math.Min(2, Environment.ProcessorCount), $"{shape} splits into {parts} part(s)");
        Assert.True(shape.N % parts != 0 || parts == 1, "the batch should split unevenly");

        var input = new float[shape.ElementCount];
        Numerics.Fill(input, rng);
        var output = new float[outputShape.ElementCount];
        layer.Forward(input, shape, output);
        var outputGradient = new float[output.Length];
        Numerics.Fill(outputGradient, rng);

        // Both runs start from the same non-zero gradients: the parts must add to them, not overwrite them.
        float[][] start = trainable.Parameters.Select(p => Enumerable.Range(0, p.Gradient.Length).Select(i => (float)Math.Sin(i)).ToArray()).ToArray();
        (float[] dx1, float[] grads1) = Run(layer, 1, start, input, shape, output, outputGradient, withInputGradient: true);
        (float[] dx2, float[] grads2) = Run(layer, 2, start, input, shape, output, outputGradient, withInputGradient: true);
        string what = $"{layer.GetType().Name} on {shape} in {parts} parts";
        Numerics.AssertClose(dx1, dx2, what + ": input gradient");
        Numerics.AssertClose(grads1, grads2, what + ": parameter gradients");

        (_, float[] grads3) = Run(layer, 2, start, input, shape, output, outputGradient, withInputGradient: false);
        Numerics.AssertClose(grads1, grads3, what + ": parameter gradients without the input gradient");
    }

    private static (float[] InputGradient, float[] ParameterGradients) Run(IConvLayer layer, int threads, float[][] start,
        float[] input, TensorShape shape, float[] output, float[] outputGradient, bool withInputGradient)
    {
        var trainable = (ITrainableLayer)layer;
        for (int p = 0; p < start.Length; p++)
        {
            start[p].CopyTo(trainable.Parameters[p].Gradient, 0);
        }

        layer.Threads = threads;
        float[] dx = withInputGradient ? new float[input.Length] : Array.Empty<float>();
        dx.AsSpan().Fill(float.NaN);
        trainable.Backward(input, shape, output, outputGradient, dx);
        return (dx, trainable.Parameters.SelectMany(p => p.Gradient).ToArray());
    }

    /// <summary>An odd batch large enough that the backward pass splits over two threads: larger planes, or more images when the sizes are static.</summary>
    private static TensorShape ShapeThatSplits(ConvGeometry g)
    {
        int n = 5, size = 8;
        while (true)
        {
            int w = g.StaticInW != 0 ? g.StaticInW : size, h = g.StaticInH != 0 ? g.StaticInH : size, d = g.StaticInD != 0 ? g.StaticInD : Math.Max(3, size / 4);
            TensorShape shape = g.Dimensions switch
            {
                1 => new TensorShape(n, g.InChannels, g.StaticInW != 0 ? w : size * size),
                3 => new TensorShape(n, g.InChannels, d, h, w),
                _ => new TensorShape(n, g.InChannels, h, w),
            };
            TensorShape output = LayerGuard.OutputShape(g, shape, "test");
            if (BackwardThreads.Parts(2, g, shape, output) >= Math.Min(2, Environment.ProcessorCount) || size > 512)
            {
                return shape;
            }

            if (g.StaticInW != 0)
            {
                n = 2 * n + 1;
            }
            else
            {
                size *= 2;
            }
        }
    }
}
