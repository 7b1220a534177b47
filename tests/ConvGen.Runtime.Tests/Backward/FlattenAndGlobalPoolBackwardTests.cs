using System;
using System.Linq;

namespace ConvGen.Runtime.Tests.Backward;

/// <summary>
/// The backward passes of <see cref="GlobalAvgPool"/> (against <see cref="ConvReference.GlobalAvgPoolBackward"/>) and
/// <see cref="Flatten"/> (the identity: its gradient is the output gradient), through <see cref="ITrainableLayer"/>, and
/// their contract: no parameters, an empty input gradient skips the work, bad lengths name the layer and both sizes.
/// </summary>
public sealed class FlattenAndGlobalPoolBackwardTests
{
    public static TheoryData<TensorShape> Shapes() => new()
    {
        new TensorShape(2, 3, 17),
        new TensorShape(1, 1, 1),
        new TensorShape(2, 5, 7, 9),
        new TensorShape(3, 2, 1, 1),
        new TensorShape(1, 4, 3, 5, 6),
    };

    private static float[] Random(long count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Global_average_pooling_backward_matches_the_reference(TensorShape shape)
    {
        ITrainableLayer layer = new GlobalAvgPool();
        float[] x = Random(shape.ElementCount, 1);
        TensorShape outputShape = layer.GetOutputShape(shape);
        var y = new float[outputShape.ElementCount];
        layer.Forward(x, shape, y);
        float[] dy = Random(y.Length, 2);
        var expected = new float[x.Length];
        ConvReference.GlobalAvgPoolBackward(shape, dy, expected);
        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN);
        layer.Backward(x, shape, y, dy, dx);
        Tensors.AssertClose(expected, dx, $"global average pooling on {shape}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Flatten_backward_passes_the_gradient_through_unchanged(TensorShape shape)
    {
        ITrainableLayer layer = new Flatten();
        float[] x = Random(shape.ElementCount, 3);
        var y = new float[x.Length];
        layer.Forward(x, shape, y);
        float[] dy = Random(y.Length, 4);
        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN);
        layer.Backward(x, shape, y, dy, dx);
        Assert.Equal(dy, dx);

        // The same buffer for both gradients, as a network passes it: nothing to do, nothing lost.
        float[] shared = (float[])dy.Clone();
        layer.Backward(x, shape, y, shared, shared);
        Assert.Equal(dy, shared);
    }

    [Fact]
    public void Neither_layer_has_parameters_and_the_empty_list_is_shared()
    {
        ITrainableLayer flatten = new Flatten(), pool = new GlobalAvgPool();
        Assert.Empty(flatten.Parameters);
        Assert.Empty(pool.Parameters);
        Assert.Same(flatten.Parameters, new Flatten().Parameters);
        Assert.Same(pool.Parameters, pool.Parameters);
    }

    [Fact]
    public void An_empty_input_gradient_skips_the_work()
    {
        var shape = new TensorShape(2, 3, 4, 5);
        var x = new float[120];
        new GlobalAvgPool().Backward(x, shape, new float[6], new float[6], Span<float>.Empty);
        new Flatten().Backward(x, shape, new float[120], new float[120], Span<float>.Empty);
    }

    [Fact]
    public void Wrong_lengths_name_the_layer_and_both_sizes()
    {
        var shape = new TensorShape(2, 3, 4, 5); // 120 in, 6 out of the pooling, 120 out of the flatten
        ITrainableLayer pool = new GlobalAvgPool(), flatten = new Flatten();
        var x = new float[120];

        var error = Assert.Throws<ArgumentException>(() => pool.Backward(x, shape, new float[6], new float[5], new float[120]));
        Assert.Contains("GlobalAvgPool", error.Message);
        Assert.Contains("5", error.Message);
        Assert.Contains("6", error.Message);

        error = Assert.Throws<ArgumentException>(() => pool.Backward(x, shape, new float[6], new float[6], new float[119]));
        Assert.Contains("119", error.Message);
        Assert.Contains("120", error.Message);

        error = Assert.Throws<ArgumentException>(() => pool.Backward(new float[121], shape, new float[6], new float[6], new float[120]));
        Assert.Contains("121", error.Message);

        error = Assert.Throws<ArgumentException>(() => pool.Backward(x, shape, new float[7], new float[6], new float[120]));
        Assert.Contains("7", error.Message);

        error = Assert.Throws<ArgumentException>(() => flatten.Backward(x, shape, new float[120], new float[118], new float[120]));
        Assert.Contains("Flatten", error.Message);
        Assert.Contains("118", error.Message);
        Assert.Contains("120", error.Message);

        error = Assert.Throws<ArgumentException>(() => flatten.Backward(x, shape, new float[120], new float[120], new float[60]));
        Assert.Contains("60", error.Message);
    }

    [Fact]
    public void Backward_allocates_nothing()
    {
        var shape = new TensorShape(4, 16, 7, 7);
        var x = new float[shape.ElementCount];
        var dy = new float[64];
        var dx = new float[x.Length];
        ITrainableLayer pool = new GlobalAvgPool(), flatten = new Flatten();
        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            pool.Backward(x, shape, dy, dy, dx);
            flatten.Backward(x, shape, x, x, dx);
            _ = pool.Parameters;
        }));
    }
}
