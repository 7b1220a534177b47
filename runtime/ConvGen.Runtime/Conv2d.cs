using System;
using System.Globalization;

namespace ConvGen;

/// <summary>
/// Factory for 2-D convolution layers whose geometry is known only at run time. They run the general vectorized
/// kernel, implement the same <see cref="IConvLayer"/> as generated layers, and are the baseline that shows what
/// build-time specialization buys.
/// </summary>
public static class Conv2d
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, a 2-D convolution.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid or not a 2-D convolution.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, ConvKind.Convolution, 2, nameof(Conv2d));

    /// <summary>Creates a layer with square kernel, stride, padding and dilation.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => Create(ConvGeometry.Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias));
}

/// <summary>Factory for 1-D convolution layers (NCL data) whose geometry is known only at run time.</summary>
public static class Conv1d
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, a 1-D convolution.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid or not a 1-D convolution.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, ConvKind.Convolution, 1, nameof(Conv1d));

    /// <summary>Creates a layer as PyTorch's <c>Conv1d</c>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => Create(ConvGeometry.Conv1d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias));
}

/// <summary>Factory for 3-D convolution layers (NCDHW data) whose geometry is known only at run time.</summary>
public static class Conv3d
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, a 3-D convolution.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid or not a 3-D convolution.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, ConvKind.Convolution, 3, nameof(Conv3d));

    /// <summary>Creates a layer with a cubic kernel, as PyTorch's <c>Conv3d</c>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => Create(ConvGeometry.Conv3d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias));
}

/// <summary>
/// Factory for transposed convolution layers (learned upsampling) of 1, 2 or 3 dimensions whose geometry is known
/// only at run time. Weights are PyTorch's [InChannels, OutChannels/Groups, k...].
/// </summary>
public static class ConvTranspose
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, a transposed convolution.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid or not transposed.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, ConvKind.Transposed, geometry.Dimensions, nameof(ConvTranspose));

    /// <summary>Creates a layer as PyTorch's <c>ConvTranspose1d/2d/3d</c> (by <paramref name="dimensions"/>), the same on every axis.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int dimensions, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int outputPadding = 0, int dilation = 1, int groups = 1, bool bias = true)
        => Create(ConvGeometry.ConvTranspose(dimensions, inChannels, outChannels, kernel, stride, padding, outputPadding, dilation, groups, bias));
}

/// <summary>
/// Factory for depthwise-separable 2-D layers (depthwise K×K with a channel multiplier, then pointwise 1×1) whose
/// geometry is known only at run time. Weights are the depthwise [Cin·M, 1, Kh, Kw] followed by the pointwise
/// [Cout, Cin·M, 1, 1]; the bias belongs to the pointwise half.
/// </summary>
public static class SeparableConv2d
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, a separable convolution.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid or not separable.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, ConvKind.Separable, 2, nameof(SeparableConv2d));

    /// <summary>Creates a layer as Keras' <c>SeparableConv2D</c>.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int depthMultiplier = 1, bool bias = true)
        => Create(ConvGeometry.SeparableConv2d(inChannels, outChannels, kernel, stride, padding, dilation, depthMultiplier, bias));
}

/// <summary>Factory for a layer of any kind and dimension whose geometry is known only at run time.</summary>
public static class ConvLayers
{
    /// <summary>Creates a layer for <paramref name="geometry"/>, whatever its kind and dimension.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static IConvLayer Create(ConvGeometry geometry) => Factory.Create(geometry, geometry.Kind, geometry.Dimensions, nameof(ConvLayers));
}

internal static class Factory
{
    public static IConvLayer Create(in ConvGeometry geometry, ConvKind kind, int dimensions, string name)
    {
        if (geometry.Kind != kind || geometry.Dimensions != dimensions)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "{0}.Create makes {1}-D {2} layers, but the geometry {3} is a {4}-D {5}.",
                name, dimensions, kind, geometry, geometry.Dimensions, geometry.Kind), nameof(geometry));
        }

        return new GeneralConvLayer(geometry, name);
    }
}
