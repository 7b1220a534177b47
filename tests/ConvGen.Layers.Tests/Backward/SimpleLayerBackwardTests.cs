using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

// Pooling and linear layers compiled by the real generator, driven through ITrainableLayer only.
[LinearLayer(InFeatures = 20, OutFeatures = 7, Activation = Activation.SiLU)] public partial class GradFc { }
[LinearLayer(InFeatures = 33, OutFeatures = 9, Activation = Activation.ReLU)] public partial class GradFcRelu { }
[LinearLayer(InFeatures = 40, OutFeatures = 5, Bias = false, Activation = Activation.Tanh)] public partial class GradFcTanhNoBias { }
[LinearLayer(InFeatures = 17, OutFeatures = 6, Activation = Activation.Sigmoid)] public partial class GradFcSigmoid { }
[LinearLayer(InFeatures = 12, OutFeatures = 10, Activation = Activation.LeakyReLU, NegativeSlope = 0.2f)] public partial class GradFcLeaky { }
[LinearLayer(InFeatures = 12, OutFeatures = 10, Activation = Activation.LeakyReLU, NegativeSlope = -0.3f)] public partial class GradFcLeakyNegative { }
[LinearLayer(InFeatures = 24, OutFeatures = 3, Activation = Activation.ReLU6)] public partial class GradFcRelu6 { }
[LinearLayer(InFeatures = 100, OutFeatures = 11)] public partial class GradFcPlain { }
[MaxPoolLayer(K = 3, S = 2, P = 1)] public partial class GradPool { }
[MaxPoolLayer(K = 2)] public partial class GradMax2 { }
[MaxPoolLayer(K = 3, S = 1, P = 1)] public partial class GradMaxOverlap { }
[AvgPoolLayer(K = 2)] public partial class GradAvg2 { }
[AvgPoolLayer(K = 3, S = 1, P = 1, CountIncludePad = false)] public partial class GradAvgExcludePad { }
[AvgPoolLayer(K = 3, S = 2, P = 1)] public partial class GradAvgIncludePad { }

/// <summary>
/// The generated pooling and linear layers' backward passes, through <see cref="ITrainableLayer"/>, against the
/// double-precision references (<see cref="ConvReference.PoolBackward"/>, <see cref="ConvReference.LinearBackward"/>).
/// </summary>
public sealed class SimpleLayerBackwardTests
{
    public static TheoryData<string> LinearLayers => new() { nameof(GradFc), nameof(GradFcRelu), nameof(GradFcTanhNoBias), nameof(GradFcSigmoid),
        nameof(GradFcLeaky), nameof(GradFcLeakyNegative), nameof(GradFcRelu6), nameof(GradFcPlain) };

    private static ITrainableLayer Linear(string name) => name switch
    {
        nameof(GradFc) => new GradFc(),
        nameof(GradFcRelu) => new GradFcRelu(),
        nameof(GradFcTanhNoBias) => new GradFcTanhNoBias(),
        nameof(GradFcSigmoid) => new GradFcSigmoid(),
        nameof(GradFcLeaky) => new GradFcLeaky(),
        nameof(GradFcLeakyNegative) => new GradFcLeakyNegative(),
        nameof(GradFcRelu6) => new GradFcRelu6(),
        nameof(GradFcPlain) => new GradFcPlain(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (Activation Activation, float Slope) ActivationOf(string name) => name switch
    {
        nameof(GradFc) => (Activation.SiLU, 0.01f),
        nameof(GradFcRelu) => (Activation.ReLU, 0.01f),
        nameof(GradFcTanhNoBias) => (Activation.Tanh, 0.01f),
        nameof(GradFcSigmoid) => (Activation.Sigmoid, 0.01f),
        nameof(GradFcLeaky) => (Activation.LeakyReLU, 0.2f),
        nameof(GradFcLeakyNegative) => (Activation.LeakyReLU, -0.3f),
        nameof(GradFcRelu6) => (Activation.ReLU6, 0.01f),
        _ => (Activation.None, 0.01f),
    };

    private static float[] Random(Random random, long count, float scale = 1f)
    {
        var values = new float[count];
        Numerics.Fill(values, random);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(LinearLayers))]
    public void Linear_layer_backward_matches_the_reference_for_each_activation(string name)
    {
        ITrainableLayer layer = Linear(name);
        var linear = (ILinearLayer)layer;
        (Activation activation, float slope) = ActivationOf(name);
        var random = new Random(name.Length * 31 + 7);

        // ReLU6 needs sums beyond 6 to test its upper kink; the others get sums of about ±2.
        float scale = activation == Activation.ReLU6 ? 3f : 1f;
        Random(random, linear.Weights.Length, scale).CopyTo(linear.Weights);
        Random(random, linear.Bias.Length, scale).CopyTo(linear.Bias);
        foreach (int batch in new[] { 1, 3, 8 })
        {
            var inputShape = new TensorShape(batch, linear.InFeatures, 1);
            float[] x = Random(random, inputShape.ElementCount);
            TensorShape outputShape = layer.GetOutputShape(inputShape);
            var y = new float[outputShape.ElementCount];
            layer.Forward(x, inputShape, y);
            float[] dy = Random(random, y.Length);

            var expectedDx = new float[x.Length];
            var expectedDw = new float[linear.Weights.Length];
            var expectedDb = new float[linear.Bias.Length];
            ConvReference.LinearBackward(x, inputShape, linear.Weights, linear.Bias, linear.InFeatures, linear.OutFeatures, activation, slope,
                dy, expectedDx, expectedDw, expectedDb);

            foreach (Parameter parameter in layer.Parameters)
            {
                parameter.ZeroGradient();
            }

            var dx = new float[x.Length];
            Array.Fill(dx, float.NaN); // every input gradient must be written
            layer.Backward(x, inputShape, y, dy, dx);
            string what = $"{name} batch {batch}";
            Numerics.AssertClose(expectedDx, dx, what + " dX");
            Numerics.AssertClose(expectedDw, layer.Parameters[0].Gradient, what + " dW");
            if (linear.Bias.Length > 0)
            {
                Numerics.AssertClose(expectedDb, layer.Parameters[1].Gradient, what + " db");
            }
        }
    }

    [Fact]
    public void Linear_layer_parameters_are_weight_then_bias_over_the_layers_own_arrays()
    {
        var layer = new GradFc();
        IReadOnlyList<Parameter> parameters = ((ITrainableLayer)layer).Parameters;
        Assert.Same(parameters, ((ITrainableLayer)layer).Parameters);
        Assert.Equal(new[] { "weight", "bias" }, parameters.Select(p => p.Name));
        Assert.Equal(new[] { 7, 20 }, parameters[0].Shape);
        Assert.Equal(new[] { 7 }, parameters[1].Shape);
        parameters[0].Values.Span[5] = 1.25f;
        parameters[1].Values.Span[2] = -0.5f;
        Assert.Equal(1.25f, layer.Weights[5]);
        Assert.Equal(-0.5f, layer.Bias[2]);

        IReadOnlyList<Parameter> noBias = ((ITrainableLayer)new GradFcTanhNoBias()).Parameters;
        Assert.Equal(new[] { "weight" }, noBias.Select(p => p.Name));
        Assert.Empty(((ITrainableLayer)new GradPool()).Parameters);
    }

    [Fact]
    public void Linear_layer_gradients_accumulate_and_an_empty_input_gradient_is_skipped()
    {
        ITrainableLayer layer = new GradFcRelu();
        var linear = (ILinearLayer)layer;
        var random = new Random(5);
        Random(random, linear.Weights.Length).CopyTo(linear.Weights);
        Random(random, linear.Bias.Length).CopyTo(linear.Bias);
        var inputShape = new TensorShape(4, 33, 1);
        float[] x = Random(random, inputShape.ElementCount);
        var y = new float[4 * 9];
        layer.Forward(x, inputShape, y);
        float[] dy = Random(random, y.Length);

        var expectedDx = new float[x.Length];
        var expectedDw = new float[linear.Weights.Length];
        var expectedDb = new float[9];
        ConvReference.LinearBackward(x, inputShape, linear.Weights, linear.Bias, 33, 9, Activation.ReLU, 0.01f, dy, expectedDx, expectedDw, expectedDb);

        layer.Backward(x, inputShape, y, dy, Span<float>.Empty);
        layer.Backward(x, inputShape, y, dy, Span<float>.Empty);
        Numerics.AssertClose(expectedDw.Select(v => 2 * v).ToArray(), layer.Parameters[0].Gradient, "dW after two calls");
        Numerics.AssertClose(expectedDb.Select(v => 2 * v).ToArray(), layer.Parameters[1].Gradient, "db after two calls");
    }

    public static TheoryData<string, int> PoolCases => new()
    {
        { nameof(GradPool), 2 }, { nameof(GradPool), 1 }, { nameof(GradPool), 3 },
        { nameof(GradMax2), 2 }, { nameof(GradMax2), 3 },
        { nameof(GradMaxOverlap), 2 }, { nameof(GradMaxOverlap), 1 },
        { nameof(GradAvg2), 2 }, { nameof(GradAvg2), 1 },
        { nameof(GradAvgExcludePad), 2 }, { nameof(GradAvgExcludePad), 3 },
        { nameof(GradAvgIncludePad), 2 }, { nameof(GradAvgIncludePad), 1 },
    };

    private static (ITrainableLayer Layer, bool Max, int K, int S, int P, bool CountIncludePad) Pool(string name) => name switch
    {
        nameof(GradPool) => (new GradPool(), true, 3, 2, 1, false),
        nameof(GradMax2) => (new GradMax2(), true, 2, 2, 0, false),
        nameof(GradMaxOverlap) => (new GradMaxOverlap(), true, 3, 1, 1, false),
        nameof(GradAvg2) => (new GradAvg2(), false, 2, 2, 0, true),
        nameof(GradAvgExcludePad) => (new GradAvgExcludePad(), false, 3, 1, 1, false),
        nameof(GradAvgIncludePad) => (new GradAvgIncludePad(), false, 3, 2, 1, true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pooling_layer_backward_matches_the_reference(string name, int dims)
    {
        (ITrainableLayer layer, bool max, int k, int s, int p, bool countIncludePad) = Pool(name);

        // Rows of 37 and 70 reach every vector width's interior and its tail; 3-D keeps depth short.
        TensorShape inputShape = dims switch
        {
            1 => new TensorShape(2, 3, 70),
            2 => new TensorShape(2, 2, 9, 37),
            _ => new TensorShape(1, 2, 5, 6, 37),
        };

        var random = new Random(name.Length * 13 + dims);
        float[] x = Random(random, inputShape.ElementCount);
        TensorShape outputShape = layer.GetOutputShape(inputShape);
        var y = new float[outputShape.ElementCount];
        layer.Forward(x, inputShape, y);
        float[] dy = Random(random, y.Length);

        var expected = new float[x.Length];
        ConvReference.PoolBackward(max, x, inputShape, dy, expected, k, s, p, countIncludePad);
        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN); // the input gradient is overwritten, not added to
        layer.Backward(x, inputShape, y, dy, dx);
        Numerics.AssertClose(expected, dx, $"{name} on {inputShape}");
    }

    [Theory]
    [InlineData(nameof(GradMaxOverlap))]
    [InlineData(nameof(GradMax2))]
    public void Max_pooling_layer_sends_a_tied_windows_gradient_to_its_first_maximum(string name)
    {
        // Values from {0, 1, 2}: most windows hold several equal maxima.
        (ITrainableLayer layer, _, int k, int stride, int pad, _) = Pool(name);
        var inputShape = new TensorShape(1, 2, 7, 41);
        var random = new Random(3);
        float[] x = Enumerable.Range(0, (int)inputShape.ElementCount).Select(_ => (float)random.Next(3)).ToArray();
        var y = new float[layer.GetOutputShape(inputShape).ElementCount];
        layer.Forward(x, inputShape, y);
        float[] dy = Random(random, y.Length);
        var expected = new float[x.Length];
        ConvReference.PoolBackward(true, x, inputShape, dy, expected, k, stride, pad, false);
        var dx = new float[x.Length];
        layer.Backward(x, inputShape, y, dy, dx);
        Numerics.AssertClose(expected, dx, name + " with ties");
    }

    [Fact]
    public void Backward_with_a_wrong_length_names_the_layer_and_both_sizes()
    {
        ITrainableLayer pool = new GradPool();
        var inputShape = new TensorShape(1, 2, 8, 8);
        var x = new float[128];
        var y = new float[2 * 4 * 4];
        var error = Assert.Throws<ArgumentException>(() => pool.Backward(x, inputShape, y, new float[31], new float[128]));
        Assert.Contains("GradPool", error.Message);
        Assert.Contains("31", error.Message);
        Assert.Contains("32", error.Message);

        error = Assert.Throws<ArgumentException>(() => pool.Backward(x, inputShape, y, new float[32], new float[127]));
        Assert.Contains("127", error.Message);
        Assert.Contains("128", error.Message);

        ITrainableLayer linear = new GradFc();
        var linearShape = new TensorShape(2, 20, 1);
        error = Assert.Throws<ArgumentException>(() => linear.Backward(new float[40], linearShape, new float[14], new float[13], new float[40]));
        Assert.Contains("GradFc", error.Message);
        Assert.Contains("13", error.Message);
        Assert.Contains("14", error.Message);

        error = Assert.Throws<ArgumentException>(() => linear.Backward(new float[40], linearShape, new float[15], new float[14], new float[40]));
        Assert.Contains("15", error.Message);
    }

    [Fact]
    public void Backward_allocates_nothing_after_the_first_call()
    {
        ITrainableLayer linear = new GradFc();
        var shape = new TensorShape(4, 20, 1);
        var x = new float[80];
        var y = new float[28];
        var dy = new float[28];
        var dx = new float[80];
        linear.Forward(x, shape, y);
        linear.Backward(x, shape, y, dy, dx);

        ITrainableLayer pool = new GradPool();
        var poolShape = new TensorShape(2, 3, 12, 40);
        var px = new float[poolShape.ElementCount];
        var py = new float[pool.GetOutputShape(poolShape).ElementCount];
        var pdx = new float[px.Length];
        pool.Backward(px, poolShape, py, py, pdx);

        Assert.Equal(0, SteadyState.AllocatedBytes(() =>
        {
            linear.Backward(x, shape, y, dy, dx);
            pool.Backward(px, poolShape, py, py, pdx);
        }));
    }
}
