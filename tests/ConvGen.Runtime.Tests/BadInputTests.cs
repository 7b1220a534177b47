using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Bad shapes, spans and geometries fail up front with <see cref="ArgumentException"/> whose message names the
/// expected and the actual numbers, never with an <see cref="IndexOutOfRangeException"/> or a corrupt output.
/// </summary>
public class BadInputTests
{
    private static readonly ConvGeometry s_geometry = new(3, 4, 3, 3, PadH: 1, PadW: 1);

    private static ArgumentException ForwardFails(TensorShape shape, int inputLength, int outputLength)
    {
        IConvLayer layer = Conv2d.Create(s_geometry);
        return Assert.ThrowsAny<ArgumentException>(() => layer.Forward(new float[inputLength], shape, new float[outputLength]));
    }

    private static void AssertMentions(Exception e, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wrong_channel_count_names_expected_and_actual_channels()
    {
        var shape = new TensorShape(1, 5, 6, 6);
        ArgumentException e = ForwardFails(shape, 5 * 36, 4 * 36);

        AssertMentions(e, "expects 3 input channels", "C = 5");
    }

    [Theory]
    [InlineData(2 * 3 * 36 - 1)]
    [InlineData(2 * 3 * 36 + 1)]
    [InlineData(0)]
    public void Input_span_of_the_wrong_length_names_both_lengths(int length)
    {
        ArgumentException e = ForwardFails(new TensorShape(2, 3, 6, 6), length, 2 * 4 * 36);

        AssertMentions(e, $"input span has {length} elements", "needs exactly 216");
    }

    [Theory]
    [InlineData(2 * 4 * 36 - 1)]
    [InlineData(2 * 4 * 36 + 5)]
    public void Output_span_of_the_wrong_length_names_both_lengths(int length)
    {
        ArgumentException e = ForwardFails(new TensorShape(2, 3, 6, 6), 2 * 3 * 36, length);

        AssertMentions(e, $"output span has {length} elements", "needs exactly 288", "[N=2, C=4, H=6, W=6]");
    }

    [Theory]
    [InlineData(0, 3, 6, 6)]
    [InlineData(1, 0, 6, 6)]
    [InlineData(1, 3, 0, 6)]
    [InlineData(1, 3, 6, -2)]
    [InlineData(-1, 3, 6, 6)]
    public void Non_positive_dimensions_are_rejected_with_the_shape(int n, int c, int h, int w)
    {
        var shape = new TensorShape(n, c, h, w);
        ArgumentException e = ForwardFails(shape, 0, 0);

        AssertMentions(e, shape.ToString(), "positive");
        Assert.ThrowsAny<ArgumentException>(() => Conv2d.Create(s_geometry).GetOutputShape(shape));
    }

    [Fact]
    public void Input_too_small_even_when_padded_names_padded_size_and_dilated_kernel()
    {
        // Height 2 + 2·1 = 4 < dilated kernel 2·(3−1)+1 = 5.
        IConvLayer layer = Conv2d.Create(new ConvGeometry(1, 1, 3, 3, PadH: 1, PadW: 1, DilationH: 2, DilationW: 1));
        var shape = new TensorShape(1, 1, 2, 9);

        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => layer.GetOutputShape(shape));
        AssertMentions(e, "height 2", "= 4", "= 5");
        ArgumentException forward = Assert.ThrowsAny<ArgumentException>(() => layer.Forward(new float[18], shape, new float[18]));
        Assert.Equal(e.Message, forward.Message);
    }

    [Fact]
    public void Too_many_elements_is_rejected_before_anything_is_read()
    {
        var shape = new TensorShape(64, 3, 4096, 4096);
        ArgumentException e = ForwardFails(shape, 16, 16);

        AssertMentions(e, "2^31 - 1");
    }

    [Theory]
    [InlineData(0, 1, 3, 0, 1, "StrideH = 0")]
    [InlineData(1, 0, 3, 0, 1, "DilationH = 0")]
    [InlineData(1, 1, 0, 0, 1, "KernelH = 0")]
    [InlineData(1, 1, 3, -1, 1, "PadH = -1")]
    [InlineData(1, 1, 3, 0, 0, "Groups = 0")]
    [InlineData(1, 1, 3, 0, 4, "Groups = 4 must divide both InChannels = 6 and OutChannels = 8")]
    [InlineData(1, 1, 3, 0, 3, "Groups = 3 must divide both InChannels = 6 and OutChannels = 8")]
    public void Invalid_geometry_is_rejected_by_create_naming_the_value(int stride, int dilation, int kernel, int pad, int groups, string expected)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() =>
            Conv2d.Create(6, 8, kernel, stride, pad, dilation, groups));

        AssertMentions(e, expected);
    }

    [Theory]
    [InlineData(0, 4, "InChannels = 0")]
    [InlineData(3, -4, "OutChannels = -4")]
    public void Non_positive_channel_counts_are_rejected_by_create(int cin, int cout, string expected)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => Conv2d.Create(cin, cout, 3));

        AssertMentions(e, expected);
    }

    [Fact]
    public void Per_axis_invalid_values_name_the_axis()
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() =>
            Conv2d.Create(new ConvGeometry(1, 1, 3, 3, StrideH: 1, StrideW: 0)));
        AssertMentions(e, "StrideW = 0");

        e = Assert.ThrowsAny<ArgumentException>(() => Conv2d.Create(new ConvGeometry(1, 1, 3, 3, DilationW: -2)));
        AssertMentions(e, "DilationW = -2");

        e = Assert.ThrowsAny<ArgumentException>(() => Conv2d.Create(new ConvGeometry(1, 1, 3, 0)));
        AssertMentions(e, "KernelW = 0");

        e = Assert.ThrowsAny<ArgumentException>(() => Conv2d.Create(new ConvGeometry(1, 1, 3, 3, PadW: -3)));
        AssertMentions(e, "PadW = -3");
    }

    [Fact]
    public void A_rejected_forward_leaves_the_output_untouched()
    {
        IConvLayer layer = Conv2d.Create(s_geometry);
        var output = new float[4 * 36];
        output.AsSpan().Fill(42f);

        Assert.ThrowsAny<ArgumentException>(() => layer.Forward(new float[3 * 36 - 1], new TensorShape(1, 3, 6, 6), output));

        Assert.All(output, v => Assert.Equal(42f, v));
    }
}
