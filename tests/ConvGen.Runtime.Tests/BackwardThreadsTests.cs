using System;
using System.Threading;
using ConvGen.Internal;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests;

/// <summary>How <see cref="BackwardThreads"/> splits a batch by image and adds the parts' parameter gradients.</summary>
/// <remarks>In the worker pool's collection: a call that finds the pool busy runs in one part, which these tests must not see.</remarks>
[Collection(WorkerPoolCollection.Name)]
public class BackwardThreadsTests
{
    /// <summary>
    /// A stand-in layer: per image, its input gradient is the image's input plus the part, and every parameter
    /// gradient element gains the sum of the image's output gradient.
    /// </summary>
    private sealed class ImageSums : IParallelBackward
    {
        public readonly Parameter[] Parameters = { new("w", new float[5], 5), new("b", new float[2], 2) };
        public int[] ThreadOfPart = new int[8];
        public Action? InsidePart;

        public void BackwardPart(in BackwardCall call, int part, int parts)
        {
            ThreadOfPart[part] = Environment.CurrentManagedThreadId;
            InsidePart?.Invoke();
            int first = call.FirstImage(part, parts), end = call.FirstImage(part + 1, parts);
            ReadOnlySpan<float> input = call.Input(first, end), outputGradient = call.OutputGradient(first, end);
            Span<float> inputGradient = call.InputGradient(first, end);
            int inImage = (int)(call.InputShape.ElementCount / call.InputShape.N), outImage = (int)(call.OutputShape.ElementCount / call.OutputShape.N);
            for (int n = 0; n < end - first; n++)
            {
                float sum = 0;
                foreach (float v in outputGradient.Slice(n * outImage, outImage))
                {
                    sum += v;
                }

                for (int p = 0; p < Parameters.Length; p++)
                {
                    Span<float> gradient = call.Gradient(p, part);
                    for (int i = 0; i < gradient.Length; i++)
                    {
                        gradient[i] += sum;
                    }
                }

                if (!inputGradient.IsEmpty)
                {
                    for (int i = 0; i < inImage; i++)
                    {
                        inputGradient[n * inImage + i] = input[n * inImage + i] + part;
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 2)]
    [InlineData(7, 3)]
    [InlineData(2, 2)]
    public void Parts_cover_every_image_once_and_their_gradients_add_up(int images, int parts)
    {
        var layer = new ImageSums();
        layer.Parameters[0].Gradient[0] = 100; // earlier gradients stay and are added to
        var inputShape = new TensorShape(images, 1, 3);
        var outputShape = new TensorShape(images, 2, 1);
        var input = new float[inputShape.ElementCount];
        var outputGradient = new float[outputShape.ElementCount];
        float total = 0;
        for (int i = 0; i < outputGradient.Length; i++)
        {
            outputGradient[i] = i % 5 - 1.5f;
            total += outputGradient[i];
        }

        for (int i = 0; i < input.Length; i++)
        {
            input[i] = 10 * i;
        }

        var inputGradient = new float[input.Length];
        inputGradient.AsSpan().Fill(float.NaN);
        float[]? partGradients = null;
        BackwardThreads.Run(layer, layer.Parameters, ref partGradients, input, inputShape, new float[outputShape.ElementCount], outputShape,
            outputGradient, inputGradient, parts);

        Assert.Equal(100 + total, layer.Parameters[0].Gradient[0], 3);
        Assert.All(layer.Parameters[0].Gradient[1..], v => Assert.Equal(total, v, 3));
        Assert.All(layer.Parameters[1].Gradient, v => Assert.Equal(total, v, 3));
        for (int n = 0; n < images; n++)
        {
            int part = 0; // the part whose range holds image n
            while ((long)images * (part + 1) / parts <= n)
            {
                part++;
            }

            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(input[n * 3 + i] + part, inputGradient[n * 3 + i]);
            }
        }
    }

    [Fact]
    public void A_second_call_with_fewer_parts_starts_from_cleared_part_gradients()
    {
        var layer = new ImageSums();
        var shape = new TensorShape(4, 1, 1);
        var ones = new float[] { 1, 1, 1, 1 };
        float[]? partGradients = null;
        BackwardThreads.Run(layer, layer.Parameters, ref partGradients, ones, shape, ones, shape, ones, Span<float>.Empty, 3);
        BackwardThreads.Run(layer, layer.Parameters, ref partGradients, ones, shape, ones, shape, ones, Span<float>.Empty, 2);
        Assert.All(layer.Parameters[1].Gradient, v => Assert.Equal(8, v));
    }

    [Fact]
    public void A_threaded_kernel_called_inside_a_part_runs_on_that_thread_instead_of_deadlocking()
    {
        var layer = new ImageSums();
        var inner = new InnerKernel();
        layer.InsidePart = () =>
        {
            var data = new float[4];
            KernelThreads.Run(inner, data, new TensorShape(1, 1, 4), data, new TensorShape(1, 1, 4), parts: 2);
        };
        var shape = new TensorShape(4, 1, 1);
        var ones = new float[] { 1, 1, 1, 1 };
        float[]? partGradients = null;
        BackwardThreads.Run(layer, layer.Parameters, ref partGradients, ones, shape, ones, shape, ones, Span<float>.Empty, 2);
        Assert.All(layer.Parameters[1].Gradient, v => Assert.Equal(4, v));
        Assert.True(inner.Calls >= 2, $"{inner.Calls} inner calls");
    }

    [Fact]
    public void An_exception_in_a_worker_part_reaches_the_caller()
    {
        var layer = new ImageSums();
        int caller = Environment.CurrentManagedThreadId;
        layer.InsidePart = () =>
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                throw new InvalidOperationException("part failed");
            }
        };
        var shape = new TensorShape(4, 1, 1);
        var ones = new float[] { 1, 1, 1, 1 };
        float[]? partGradients = null;
        var e = Assert.Throws<InvalidOperationException>(() =>
            BackwardThreads.Run(layer, layer.Parameters, ref partGradients, ones, shape, ones, shape, ones, Span<float>.Empty, 2));
        Assert.Equal("part failed", e.Message);

        // The pool is free again afterwards.
        layer.InsidePart = null;
        BackwardThreads.Run(layer, layer.Parameters, ref partGradients, ones, shape, ones, shape, ones, Span<float>.Empty, 2);
    }

    private sealed class InnerKernel : IParallelKernel
    {
        private int _calls;

        public int Calls => _calls;

        public void RunPart(in KernelCall call, int part, int parts) => Interlocked.Increment(ref _calls);
    }
}
