using System;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// What <see cref="ConvReference"/> promises besides its numbers: it rejects parameter spans of the wrong length for
/// every kind with the expected and actual counts, and <see cref="ConvReference.Activate"/> follows the formulas
/// written on <see cref="Activation"/>.
/// </summary>
public class ReferenceArgumentConformanceTests
{
    [Theory]
    // Convolution 1-D [Cout, Cin/G, 3]: 6·(4/2)·3 = 36.
    [InlineData("conv1d", 35, 36)]
    // Transposed 3-D [Cin, Cout/G, 2, 2, 2]: 4·(6/2)·8 = 96.
    [InlineData("transposed3d", 97, 96)]
    // Separable: depthwise 3·2·9 = 54, then pointwise 5·6 = 30; the depthwise part alone is not enough.
    [InlineData("separable", 54, 84)]
    public void Weights_of_the_wrong_length_are_rejected_naming_both_counts(string kind, int given, int expected)
    {
        (ConvGeometry g, TensorShape shape) = Layer(kind);
        var output = new float[Internal.LayerGuard.OutputShape(g, shape, "test").ElementCount];

        var e = Assert.Throws<ArgumentException>(() => ConvReference.Run(
            g, new float[shape.ElementCount], shape, new float[given], ReadOnlySpan<float>.Empty, output));

        Assert.Equal(expected, g.WeightCount);
        Assert.Equal("weights", e.ParamName);
        Assert.Contains($"has {given} elements", e.Message, StringComparison.Ordinal);
        Assert.Contains($"needs {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bias_that_is_neither_empty_nor_one_per_output_channel_is_rejected()
    {
        (ConvGeometry g, TensorShape shape) = Layer("separable");
        var output = new float[Internal.LayerGuard.OutputShape(g, shape, "test").ElementCount];

        var e = Assert.Throws<ArgumentException>(() => ConvReference.Run(
            g, new float[shape.ElementCount], shape, new float[g.WeightCount], new float[3], output));

        Assert.Equal("bias", e.ParamName);
        Assert.Contains("needs 0 or 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conv2d_entry_runs_other_kinds_as_run_does()
    {
        // 1-D transposed, one channel, weights [1, 1, 2] = (1, 10), stride 2, bias 0.5: x0 = 3 writes outputs 0 and 1,
        // x1 = 4 writes outputs 2 and 3.
        ConvGeometry g = ConvGeometry.ConvTranspose(1, 1, 1, 2, stride: 2);
        var output = new float[4];

        ConvReference.Conv2d(g, [3f, 4f], new TensorShape(1, 1, 2), [1f, 10f], [0.5f], output);

        Assert.Equal([3.5f, 30.5f, 4.5f, 40.5f], output);
    }

    [Theory]
    [InlineData(Activation.None, -2.5, -2.5f)]
    [InlineData(Activation.ReLU, -2.5, 0f)]
    [InlineData(Activation.ReLU, 2.5, 2.5f)]
    [InlineData(Activation.ReLU6, 7.25, 6f)]
    [InlineData(Activation.ReLU6, 5.5, 5.5f)]
    [InlineData(Activation.ReLU6, -1, 0f)]
    [InlineData(Activation.LeakyReLU, -2, -0.5f)] // the slope passed below is 0.25
    [InlineData(Activation.LeakyReLU, 3, 3f)]
    [InlineData(Activation.Sigmoid, 0, 0.5f)]
    [InlineData(Activation.Sigmoid, -1000, 0f)] // exp(1000) overflows to infinity: the limit 0, not NaN
    [InlineData(Activation.Tanh, 0, 0f)]
    [InlineData(Activation.SiLU, 0, 0f)]
    [InlineData(Activation.SiLU, -1000, 0f)]
    public void Activate_follows_the_documented_formula_at_easy_points(Activation kind, double x, float expected)
        => Assert.Equal(expected, ConvReference.Activate(kind, 0.25f, x));

    [Fact]
    public void Activate_matches_the_closed_forms_at_one()
    {
        // sigmoid(1) = e / (1 + e), tanh(1) = (e² − 1) / (e² + 1), silu(1) = 1 · sigmoid(1).
        double e = Math.E;
        Assert.Equal((float)(e / (1 + e)), ConvReference.Activate(Activation.Sigmoid, 0.01f, 1), 1e-7f);
        Assert.Equal((float)((e * e - 1) / (e * e + 1)), ConvReference.Activate(Activation.Tanh, 0.01f, 1), 1e-7f);
        Assert.Equal((float)(e / (1 + e)), ConvReference.Activate(Activation.SiLU, 0.01f, 1), 1e-7f);
    }

    private static (ConvGeometry Geometry, TensorShape Shape) Layer(string kind) => kind switch
    {
        "conv1d" => (ConvGeometry.Conv1d(4, 6, 3, groups: 2), new TensorShape(1, 4, 6)),
        "transposed3d" => (ConvGeometry.ConvTranspose(3, 4, 6, 2, groups: 2), new TensorShape(1, 4, 2, 2, 2)),
        _ => (ConvGeometry.SeparableConv2d(3, 5, 3, depthMultiplier: 2), new TensorShape(1, 3, 4, 4)),
    };
}
