using System;
using ConvGen.Training;

namespace ConvGen.Runtime.Tests.Training;

/// <summary>
/// Properties of <see cref="Losses"/> beyond the PyTorch values in <see cref="TorchTrainingTests"/>: stability at
/// extreme logits, the optional gradient, argmax ties, and bad input.
/// </summary>
public sealed class LossesTests
{
    private static void AssertMentions(Exception e, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Cross_entropy_stays_finite_at_logits_of_plus_and_minus_1e30()
    {
        float[] logits = [1e30f, -1e30f, 0f, 1e30f, 1e30f, -1e30f];
        var gradient = new float[6];

        float loss = Losses.SoftmaxCrossEntropy(logits, [1, 0], 3, gradient);

        // Sample 0: −log softmax at −1e30 beside +1e30 is 2e30; sample 1: log 2 between two equal logits of 1e30.
        Assert.Equal(1e30f, loss, 1e24f);
        Assert.Equal([0.5f, -0.5f, 0f, -0.25f, 0.25f, 0f], gradient);
    }

    [Fact]
    public void Cross_entropy_gradient_rows_sum_to_zero_and_are_negative_only_at_the_label()
    {
        float[] logits = Tensors.Ramp(4 * 6);
        int[] labels = [5, 0, 3, 3];
        var gradient = new float[logits.Length];

        Losses.SoftmaxCrossEntropy(logits, labels, 6, gradient);

        for (int n = 0; n < 4; n++)
        {
            float sum = 0;
            for (int c = 0; c < 6; c++)
            {
                float g = gradient[n * 6 + c];
                sum += g;
                Assert.True(c == labels[n] ? g < 0 : g > 0, $"sample {n} class {c}: gradient {g}");
            }

            Assert.Equal(0f, sum, 1e-6f);
        }
    }

    [Fact]
    public void Cross_entropy_with_an_empty_gradient_returns_the_same_loss_without_writing_one()
    {
        float[] logits = Tensors.Ramp(3 * 5);
        int[] labels = [1, 4, 0];

        float withGradient = Losses.SoftmaxCrossEntropy(logits, labels, 5, new float[15]);
        float without = Losses.SoftmaxCrossEntropy(logits, labels, 5, Span<float>.Empty);

        Assert.Equal(withGradient, without);
    }

    [Fact]
    public void Mean_squared_error_with_an_empty_gradient_returns_the_same_loss()
    {
        float[] p = Tensors.Ramp(21);
        float[] t = new float[21];

        Assert.Equal(Losses.MeanSquaredError(p, t, new float[21]), Losses.MeanSquaredError(p, t, Span<float>.Empty));
    }

    [Fact]
    public void Mean_squared_error_of_a_long_tensor_is_the_mean_of_the_squares()
    {
        // 1000 differences of 3: any vector width leaves a different tail, and the loss must still be exactly 9.
        var p = new float[1003];
        Array.Fill(p, 3f);
        var gradient = new float[p.Length];

        float loss = Losses.MeanSquaredError(p, new float[p.Length], gradient);

        Assert.Equal(9f, loss);
        Assert.All(gradient, g => Assert.Equal((float)(2.0 / p.Length) * 3f, g));
    }

    [Fact]
    public void Count_correct_takes_the_first_of_equal_maxima()
    {
        float[] logits =
        [
            1, 3, 3, // tie between 1 and 2: argmax 1
            1, 3, 3,
            7, 7, 7, // three-way tie: argmax 0
            0, -1, 2,
        ];

        Assert.Equal(3, Losses.CountCorrect(logits, [1, 2, 0, 2], 3));
        Assert.Equal(0, Losses.CountCorrect(logits, [2, 2, 1, 0], 3));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(0)]
    public void Logits_of_the_wrong_length_name_both_lengths(int length)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[length], [0, 1, 2], 4, new float[length]));
        AssertMentions(e, $"logits have {length} elements", "need exactly 12", "[3, 4]");

        e = Assert.ThrowsAny<ArgumentException>(() => Losses.CountCorrect(new float[length], [0, 1, 2], 4));
        AssertMentions(e, $"logits have {length} elements", "need exactly 12");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(int.MinValue)]
    public void A_label_outside_the_classes_names_the_label_and_the_range(int label)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[8], [0, label], 4, new float[8]));
        AssertMentions(e, $"label 1 is {label}", "outside [0, 4)");

        e = Assert.ThrowsAny<ArgumentException>(() => Losses.CountCorrect(new float[8], [label, 0], 4));
        AssertMentions(e, $"label 0 is {label}", "outside [0, 4)");
    }

    [Fact]
    public void A_logits_gradient_of_the_wrong_length_names_both_lengths()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[8], [0, 1], 4, new float[7]));
        AssertMentions(e, "gradient has 7 elements", "needs exactly 8");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void No_classes_is_rejected_naming_the_count(int classes)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(new float[2], [0, 0], classes, new float[2]));
        AssertMentions(e, $"classes = {classes}");
    }

    [Fact]
    public void An_empty_batch_is_rejected()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.SoftmaxCrossEntropy(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty, 3, Span<float>.Empty));
        AssertMentions(e, "at least one sample");

        e = Assert.ThrowsAny<ArgumentException>(() => Losses.CountCorrect(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty, 3));
        AssertMentions(e, "at least one sample");

        e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.MeanSquaredError(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, Span<float>.Empty));
        AssertMentions(e, "at least one element");
    }

    [Fact]
    public void Mean_squared_error_names_mismatched_lengths()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.MeanSquaredError(new float[5], new float[4], new float[5]));
        AssertMentions(e, "target has 4 elements", "prediction has 5");

        e = Assert.ThrowsAny<ArgumentException>(
            () => Losses.MeanSquaredError(new float[5], new float[5], new float[6]));
        AssertMentions(e, "gradient has 6 elements", "needs exactly 5");
    }
}
