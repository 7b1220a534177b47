using System;
using ConvGen;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// A hand-written <see cref="ILinearLayer"/> over <see cref="LinearKernel"/>, standing in for a generated
/// <c>[LinearLayer]</c> class.
/// </summary>
internal sealed class TestLinear : ILinearLayer
{
    private readonly float[] _weights;
    private readonly float[] _bias;

    public TestLinear(int inFeatures, int outFeatures, bool bias = true, Activation activation = Activation.None, float negativeSlope = 0.01f)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Activation = activation;
        NegativeSlope = negativeSlope;
        _weights = new float[inFeatures * outFeatures];
        _bias = bias ? new float[outFeatures] : Array.Empty<float>();
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Activation Activation { get; }

    public float NegativeSlope { get; }

    public Span<float> Weights => _weights;

    public Span<float> Bias => _bias;

    public TensorShape GetOutputShape(TensorShape input) => LinearKernel.OutputShape(input, InFeatures, OutFeatures, nameof(TestLinear));

    public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
        => LinearKernel.Forward(input, inputShape, output, _weights, _bias, InFeatures, OutFeatures, Activation, NegativeSlope, nameof(TestLinear));
}

/// <summary>
/// <see cref="LinearKernel"/> against <see cref="ConvReference.Linear"/> for every feature count from 1 to 70 (every
/// vector width, tile and tail), batches 1 to 9, every activation, with and without bias; values worked out by hand;
/// bad input; allocation.
/// </summary>
public class LinearKernelTests
{
    private const string Layer = "Fc";

    private static void AssertMatchesReference(int inF, int outF, int batch, bool bias, Activation activation, int seed, TensorShape? shape = null)
    {
        var rng = new Random(seed);
        TensorShape inputShape = shape ?? new TensorShape(batch, inF, 1);
        float[] x = Tensors.Random(rng, batch * inF);
        float[] w = Tensors.Random(rng, inF * outF);
        float[] b = bias ? Tensors.Random(rng, outF) : Array.Empty<float>();
        var expected = new float[batch * outF];
        ConvReference.Linear(x, inputShape, expected, w, b, inF, outF, activation, 0.1f);
        var actual = new float[batch * outF];
        actual.AsSpan().Fill(float.NaN);
        LinearKernel.Forward(x, inputShape, actual, w, b, inF, outF, activation, 0.1f, Layer);
        Tensors.AssertClose(expected, actual, $"in={inF} out={outF} batch={batch} bias={bias} {activation}");
    }

    [Fact]
    public void Kernel_matches_the_reference_for_every_feature_count_up_to_70_and_batches_1_to_9()
    {
        for (int inF = 1; inF <= 70; inF++)
        {
            for (int outF = 1; outF <= 70; outF++)
            {
                int batch = 1 + (inF + outF) % 9;
                AssertMatchesReference(inF, outF, batch, bias: (inF + outF) % 2 == 0, Activation.None, seed: inF * 100 + outF);
            }
        }
    }

    public static TheoryData<Activation, bool> ActivationsAndBias()
    {
        var data = new TheoryData<Activation, bool>();
        foreach (Activation a in Enum.GetValues<Activation>())
        {
            data.Add(a, true);
            data.Add(a, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationsAndBias))]
    public void Kernel_matches_the_reference_for_every_activation_with_and_without_bias(Activation activation, bool bias)
    {
        int seed = 0;
        foreach (int inF in new[] { 1, 3, 4, 5, 8, 9, 15, 16, 17, 31, 33, 48, 70 })
        {
            foreach (int outF in new[] { 1, 2, 4, 5, 7, 8, 70 })
            {
                for (int batch = 1; batch <= 9; batch++)
                {
                    AssertMatchesReference(inF, outF, batch, bias, activation, seed++);
                }
            }
        }
    }

    [Theory]
    [InlineData(16400, 6, 5)] // groups of 2 samples: pairs and a lone last sample
    [InlineData(5000, 9, 9)] // groups of 6 and 3
    [InlineData(4099, 5, 17)] // groups of 6, 6 and 5
    public void Wide_inputs_split_the_batch_into_groups_without_changing_the_result(int inF, int outF, int batch)
    {
        AssertMatchesReference(inF, outF, batch, bias: true, Activation.None, inF + batch);
    }

    [Fact]
    public void Features_are_read_in_NCHW_order_from_any_layout()
    {
        AssertMatchesReference(2 * 3 * 5, 7, 3, bias: true, Activation.ReLU, 11, new TensorShape(3, 2, 3, 5));
        AssertMatchesReference(2 * 2 * 3 * 4, 6, 2, bias: false, Activation.Tanh, 12, new TensorShape(2, 2, 2, 3, 4));
        AssertMatchesReference(400, 120, 4, bias: true, Activation.ReLU, 13, new TensorShape(4, 16, 5, 5)); // LeNet's fc1
    }

    [Fact]
    public void Two_outputs_of_three_features_are_the_row_dot_products_plus_bias()
    {
        float[] w = { 1f, 0f, -1f, /**/ 0.5f, 0.5f, 0.5f };
        float[] b = { 0.25f, -1f };
        float[] x = { 1f, 2f, 3f, /**/ -1f, 0f, 1f };
        var y = new float[4];
        LinearKernel.Forward(x, new TensorShape(2, 3, 1), y, w, b, 3, 2, Activation.None, 0f, Layer);

        // 1 - 3 + 0.25, (1 + 2 + 3)/2 - 1; -1 - 1 + 0.25, 0 - 1.
        Assert.Equal(new[] { -1.75f, 2f, -1.75f, -1f }, y);

        LinearKernel.Forward(x, new TensorShape(2, 3, 1), y, w, b, 3, 2, Activation.ReLU, 0f, Layer);
        Assert.Equal(new[] { 0f, 2f, 0f, 0f }, y);

        LinearKernel.Forward(x, new TensorShape(2, 3, 1), y, w, b, 3, 2, Activation.LeakyReLU, 0.1f, Layer);
        float[] leaky = { -0.175f, 2f, -0.175f, -0.1f };
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(leaky[i], y[i], 6);
        }

        LinearKernel.Forward(x, new TensorShape(2, 3, 1), y, w, ReadOnlySpan<float>.Empty, 3, 2, Activation.None, 0f, Layer);
        Assert.Equal(new[] { -2f, 3f, -2f, 0f }, y);
    }

    [Fact]
    public void A_long_dot_product_of_ones_and_a_ramp_is_the_ramps_sum()
    {
        // 1 + 2 + ... + 67 = 2278 and twice that for the second row, for a length with a tail at every vector width.
        const int n = 67;
        var x = new float[n];
        var w = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i + 1;
            w[i] = 1f;
            w[n + i] = 2f;
        }

        var y = new float[2];
        LinearKernel.Forward(x, new TensorShape(1, n, 1), y, w, new[] { 0.5f, -0.5f }, n, 2, Activation.None, 0f, Layer);
        Assert.Equal(new[] { 2278.5f, 4555.5f }, y);
    }

    [Fact]
    public void Output_shape_is_batch_by_out_features_whatever_the_input_layout()
    {
        Assert.Equal(new TensorShape(4, 120, 1), LinearKernel.OutputShape(new TensorShape(4, 16, 5, 5), 400, 120, Layer));
        Assert.Equal(new TensorShape(1, 3, 1), LinearKernel.OutputShape(new TensorShape(1, 2, 3, 4, 5), 120, 3, Layer));
    }

    private static ArgumentException Fails(TensorShape shape, int inputLength, int outputLength, int weightLength, int biasLength,
        int inF, int outF, Activation activation = Activation.None)
        => Assert.Throws<ArgumentException>(() => LinearKernel.Forward(new float[inputLength], shape, new float[outputLength],
            new float[weightLength], new float[biasLength], inF, outF, activation, 0f, "fc1"));

    private static void AssertMentions(Exception e, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Input_features_that_do_not_match_name_both_counts_and_the_shape()
    {
        ArgumentException e = Fails(new TensorShape(2, 16, 4, 5), 640, 240, 400 * 120, 120, 400, 120);
        AssertMentions(e, "Layer 'fc1'", "expects 400 input features", "[N=2, C=16, H=4, W=5]", "16*1*4*5 = 320");
    }

    [Theory]
    [InlineData(12 * 5 - 1)]
    [InlineData(12 * 5 + 1)]
    [InlineData(0)]
    public void A_weights_span_of_the_wrong_length_names_both_lengths(int length)
    {
        ArgumentException e = Fails(new TensorShape(1, 12, 1), 12, 5, length, 5, 12, 5);
        AssertMentions(e, $"weights span has {length} elements", "[OutFeatures, InFeatures] = [5, 12]", "needs exactly 60");
    }

    [Fact]
    public void A_bias_span_that_is_neither_empty_nor_one_per_output_names_both_lengths()
    {
        AssertMentions(Fails(new TensorShape(1, 12, 1), 12, 5, 60, 4, 12, 5), "bias span has 4 elements", "OutFeatures = 5");
    }

    [Fact]
    public void Input_and_output_spans_of_the_wrong_length_name_both_lengths()
    {
        AssertMentions(Fails(new TensorShape(3, 12, 1), 35, 15, 60, 5, 12, 5), "input span has 35 elements", "needs exactly 36");
        AssertMentions(Fails(new TensorShape(3, 12, 1), 36, 16, 60, 5, 12, 5), "output span has 16 elements", "[N=3, C=5, L=1]", "needs exactly 15");
    }

    [Fact]
    public void Non_positive_feature_counts_shapes_and_unknown_activations_are_refused()
    {
        AssertMentions(Fails(new TensorShape(1, 1, 1), 1, 0, 0, 0, 1, 0), "OutFeatures = 0");
        AssertMentions(Fails(new TensorShape(0, 4, 1), 0, 0, 8, 0, 4, 2), "must have positive sizes");
        AssertMentions(Fails(new TensorShape(1, 4, 1), 4, 2, 8, 0, 4, 2, (Activation)42), "activation 42");
    }

    [Fact]
    public void An_output_overlapping_the_input_is_refused()
    {
        var buffer = new float[8];
        var e = Assert.Throws<ArgumentException>(() => LinearKernel.Forward(buffer.AsSpan(0, 4), new TensorShape(1, 4, 1), buffer.AsSpan(2, 4),
            new float[16], ReadOnlySpan<float>.Empty, 4, 4, Activation.None, 0f, "fc1"));
        AssertMentions(e, "overlaps");
    }

    [Fact]
    public void A_layer_built_on_the_kernel_works_through_ILayer()
    {
        var layer = new TestLinear(10, 3, activation: Activation.Sigmoid);
        Tensors.Random(new Random(3), 30).CopyTo(layer.Weights);
        Tensors.Random(new Random(4), 3).CopyTo(layer.Bias);
        ILayer asLayer = layer;
        var shape = new TensorShape(2, 10, 1);
        float[] x = Tensors.Random(new Random(5), 20);
        var expected = new float[6];
        ConvReference.Linear(x, shape, expected, layer.Weights, layer.Bias, 10, 3, Activation.Sigmoid, 0.01f);
        var actual = new float[asLayer.GetOutputShape(shape).ElementCount];
        asLayer.Forward(x, shape, actual);
        Tensors.AssertClose(expected, actual, "through ILayer");
    }

    [Theory]
    [InlineData(400, 120, 1, Activation.ReLU)]
    [InlineData(70, 33, 5, Activation.SiLU)]
    [InlineData(3, 2, 9, Activation.None)]
    public void Forward_allocates_nothing_after_warm_up(int inF, int outF, int batch, Activation activation)
    {
        var shape = new TensorShape(batch, inF, 1);
        float[] x = Tensors.Random(new Random(1), batch * inF), w = Tensors.Random(new Random(2), inF * outF), b = new float[outF];
        var y = new float[batch * outF];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => LinearKernel.Forward(x, shape, y, w, b, inF, outF, activation, 0.01f, Layer)));
    }
}
