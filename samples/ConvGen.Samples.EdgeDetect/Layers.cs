using System;

namespace ConvGen.Samples.EdgeDetect;

// The two layers of the sample. The generator turns each attribute into an IConvLayer with a kernel specialized for
// exactly this geometry; the static input size also makes OutH and OutW constants.

/// <summary>Four 3x3 edge filters on a 256x256 grayscale image: Sobel-x, Sobel-y and two diagonal Sobel filters.</summary>
[ConvLayer(K = 3, P = 1, InChannels = 1, OutChannels = 4, InH = 256, InW = 256)]
public partial class EdgeFilters
{
    /// <summary>Names of the output channels, in order.</summary>
    public static readonly string[] ChannelNames = { "sobel-x", "sobel-y", "diagonal-45", "diagonal-135" };

    // OIHW: [4 filters, 1 input channel, 3, 3].
    private static readonly float[] Filters =
    {
        -1, 0, 1,
        -2, 0, 2,
        -1, 0, 1,

        -1, -2, -1,
         0,  0,  0,
         1,  2,  1,

         0,  1, 2,
        -1,  0, 1,
        -2, -1, 0,

        -2, -1, 0,
        -1,  0, 1,
         0,  1, 2,
    };

    /// <summary>Creates the layer with the Sobel and diagonal filters and zero biases.</summary>
    public static EdgeFilters Create()
    {
        EdgeFilters layer = new();
        Filters.CopyTo(layer.Weights);
        layer.Bias.Clear();
        return layer;
    }
}

/// <summary>
/// Downsamples the 4-channel edge map by 2 with a 3x3 binomial blur applied to each channel on its own
/// (Groups = 4: a depthwise convolution), so aliasing from the stride is smoothed away.
/// </summary>
[ConvLayer(K = 3, P = 1, S = 2, Groups = 4, InChannels = 4, OutChannels = 4, InH = 256, InW = 256, Bias = false)]
public partial class BlurDownsample
{
    private static readonly float[] Binomial =
    {
        1 / 16f, 2 / 16f, 1 / 16f,
        2 / 16f, 4 / 16f, 2 / 16f,
        1 / 16f, 2 / 16f, 1 / 16f,
    };

    /// <summary>Creates the layer with the same blur in each of its four depthwise filters.</summary>
    public static BlurDownsample Create()
    {
        BlurDownsample layer = new();
        Span<float> weights = layer.Weights;
        for (int c = 0; c < OutputChannels; c++)
        {
            Binomial.CopyTo(weights.Slice(c * Binomial.Length, Binomial.Length));
        }

        return layer;
    }
}
