using System;

namespace ConvGen;

/// <summary>
/// Factory for 2-D convolution layers whose geometry is known only at run time. They run the general vectorized
/// kernel, implement the same <see cref="IConvLayer"/> as generated layers, and are the baseline that shows what
/// build-time specialization buys.
/// </summary>
public static class Conv2d
{
    /// <summary>Creates a layer for <paramref name="geometry"/>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid (non-positive sizes, groups not dividing the channels...).</exception>
    public static IConvLayer Create(ConvGeometry geometry) => new GeneralConv2dLayer(geometry);

    /// <summary>Creates a layer with square kernel, stride, padding and dilation.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => Create(new ConvGeometry(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding,
            dilation, dilation, groups, bias));
}
