using System;
using System.Linq;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests.Backward;

/// <summary>
/// <see cref="PoolingKernel.Backward"/> against <see cref="ConvReference.PoolBackward"/> (double precision, checked
/// against central differences in LayerBackwardReferenceTests): max and average pooling in 1-D, 2-D and 3-D, strides
/// below, equal to and above the window (overlapping windows add up), padding with and without counting it, rows wide
/// enough for every vector width and narrower than all of them, ties, and the contract: dX is overwritten or skipped,
/// bad lengths name the sizes, nothing is allocated.
/// </summary>
public sealed class PoolingBackwardTests
{
    public static TheoryData<bool, int, int, int, bool, TensorShape> Cases()
    {
        var data = new TheoryData<bool, int, int, int, bool, TensorShape>();
        TensorShape[] shapes =
        {
            new(2, 3, 70),             // 1-D, wide
            new(1, 2, 5),              // 1-D, narrower than any vector
            new(2, 2, 9, 37),          // 2-D
            new(1, 3, 16, 66),         // 2-D, wide rows
            new(1, 1, 6, 4),           // 2-D, narrow rows
            new(1, 2, 5, 6, 37),       // 3-D
            new(2, 1, 4, 3, 9),        // 3-D, narrow
        };

        (int K, int S, int P)[] windows = { (2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 0), (3, 3, 0), (4, 3, 2), (2, 3, 1), (5, 2, 2), (1, 1, 0) };
        foreach (TensorShape shape in shapes)
        {
            foreach ((int k, int s, int p) in windows)
            {
                data.Add(true, k, s, p, false, shape);
                data.Add(false, k, s, p, true, shape);
                if (p > 0)
                {
                    data.Add(false, k, s, p, false, shape);
                }
            }
        }

        return data;
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static float[] Expected(bool max, float[] x, TensorShape shape, float[] dy, int k, int s, int p, bool countIncludePad)
    {
        var dx = new float[x.Length];
        ConvReference.PoolBackward(max, x, shape, dy, dx, k, s, p, countIncludePad);
        return dx;
    }

    private static float[] Actual(bool max, ReadOnlySpan<float> x, TensorShape shape, float[] dy, int k, int s, int p, bool countIncludePad)
    {
        var dx = new float[shape.ElementCount];
        Array.Fill(dx, float.NaN); // overwritten, not added to: leftovers fail the comparison
        PoolingKernel.Backward(max, x, shape, dy, dx, k, s, p, countIncludePad, "test");
        return dx;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_the_reference(bool max, int k, int s, int p, bool countIncludePad, TensorShape shape)
    {
        TensorShape outputShape = PoolingKernel.OutputShape(max, shape, k, s, p, "test");
        float[] x = Random((int)shape.ElementCount, k * 100 + s * 10 + p);
        float[] dy = Random((int)outputShape.ElementCount, 7);
        Tensors.AssertClose(Expected(max, x, shape, dy, k, s, p, countIncludePad), Actual(max, x, shape, dy, k, s, p, countIncludePad),
            $"{(max ? "max" : "avg")} K{k} S{s} P{p} include-pad {countIncludePad} on {shape}");
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 3, 1)]
    [InlineData(4, 2, 2)]
    public void Max_pooling_sends_a_tied_windows_gradient_to_its_first_maximum_in_scan_order(int k, int s, int p)
    {
        // Values from {0, 1, 2}, and a plane of one value: most windows hold several equal maxima.
        foreach (TensorShape shape in new[] { new TensorShape(1, 2, 7, 41), new TensorShape(1, 1, 3, 5, 40), new TensorShape(2, 2, 67) })
        {
            var random = new Random(k + s);
            float[] x = Enumerable.Range(0, (int)shape.ElementCount).Select(_ => (float)random.Next(3)).ToArray();
            float[] dy = Random((int)PoolingKernel.OutputShape(true, shape, k, s, p, "test").ElementCount, 3);
            Tensors.AssertClose(Expected(true, x, shape, dy, k, s, p, false), Actual(true, x, shape, dy, k, s, p, false), $"ties on {shape}");

            float[] flat = Enumerable.Repeat(-1.5f, x.Length).ToArray();
            Tensors.AssertClose(Expected(true, flat, shape, dy, k, s, p, false), Actual(true, flat, shape, dy, k, s, p, false), $"flat {shape}");

            // All −∞: no value beats PyTorch's starting −∞, so the window's first real position takes the gradient.
            float[] low = Enumerable.Repeat(float.NegativeInfinity, x.Length).ToArray();
            Tensors.AssertClose(Expected(true, low, shape, dy, k, s, p, false), Actual(true, low, shape, dy, k, s, p, false), $"-inf {shape}");
        }
    }

    [Fact]
    public void Average_pooling_does_not_need_the_input()
    {
        var shape = new TensorShape(2, 3, 8, 21);
        float[] x = Random((int)shape.ElementCount, 1);
        float[] dy = Random((int)PoolingKernel.OutputShape(false, shape, 3, 2, 1, "test").ElementCount, 2);
        Tensors.AssertClose(Expected(false, x, shape, dy, 3, 2, 1, true), Actual(false, ReadOnlySpan<float>.Empty, shape, dy, 3, 2, 1, true), "no input");
    }

    [Fact]
    public void An_empty_input_gradient_skips_the_work()
    {
        var shape = new TensorShape(1, 2, 6, 6);
        PoolingKernel.Backward(true, new float[72], shape, new float[18], Span<float>.Empty, 2, 2, 0, false, "test");
        PoolingKernel.Backward(false, ReadOnlySpan<float>.Empty, shape, new float[18], Span<float>.Empty, 2, 2, 0, true, "test");
    }

    [Fact]
    public void Wrong_lengths_name_the_layer_and_both_sizes()
    {
        var shape = new TensorShape(1, 2, 6, 6); // output 1 x 2 x 3 x 3 = 18
        var error = Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(true, new float[72], shape, new float[17], new float[72], 2, 2, 0, false, "Pool7"));
        Assert.Contains("Pool7", error.Message);
        Assert.Contains("17", error.Message);
        Assert.Contains("18", error.Message);

        error = Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(true, new float[72], shape, new float[18], new float[71], 2, 2, 0, false, "Pool7"));
        Assert.Contains("71", error.Message);
        Assert.Contains("72", error.Message);

        error = Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(true, new float[70], shape, new float[18], new float[72], 2, 2, 0, false, "Pool7"));
        Assert.Contains("70", error.Message);
        Assert.Contains("72", error.Message);

        error = Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(true, new float[72], shape, new float[18], new float[72], 2, 2, 2, false, "Pool7"));
        Assert.Contains("P = 2", error.Message);
    }

    [Fact]
    public void The_input_gradient_may_not_overlap_the_other_spans()
    {
        var shape = new TensorShape(1, 1, 4, 4);
        var buffer = new float[40];
        Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(true, buffer.AsSpan(0, 16), shape, new float[4], buffer.AsSpan(8, 16), 2, 2, 0, false, "test"));
        Assert.Throws<ArgumentException>(() => PoolingKernel.Backward(false, new float[16], shape, buffer.AsSpan(0, 4), buffer.AsSpan(2, 16), 2, 2, 0, true, "test"));
    }

    [Fact]
    public void Backward_allocates_nothing()
    {
        var shape = new TensorShape(2, 4, 20, 67);
        float[] x = Random((int)shape.ElementCount, 4);
        var dy = new float[PoolingKernel.OutputShape(true, shape, 3, 2, 1, "test").ElementCount];
        var dx = new float[x.Length];
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            PoolingKernel.Backward(true, x, shape, dy, dx, 3, 2, 1, false, "test");
            PoolingKernel.Backward(false, x, shape, dy, dx, 3, 2, 1, false, "test");
        }));
    }
}
