using System;

namespace ConvGen;

/// <summary>
/// A 2-D convolution layer (cross-correlation, NCHW data, PyTorch OIHW weights, one bias per filter).
/// Every generated <c>[ConvLayer]</c> class and every layer made by <see cref="Conv2d.Create(ConvGeometry)"/> implements it,
/// so specialized and general layers compose.
/// </summary>
public interface IConvLayer : ILayer
{
    /// <summary>Input channels the layer expects.</summary>
    int InChannels { get; }

    /// <summary>Output channels (filters) the layer produces.</summary>
    int OutChannels { get; }

    /// <summary>The layer's complete geometry (kernel, stride, padding, dilation, groups, bias, static input size).</summary>
    ConvGeometry Geometry { get; }

    /// <summary>
    /// Filters as [OutChannels, InChannels/Groups, Kh, Kw], row-major (PyTorch OIHW). Writes are honored by the next
    /// <see cref="ILayer.Forward"/>.
    /// </summary>
    Span<float> Weights { get; }

    /// <summary>One bias per filter, [OutChannels]; empty when the layer has no bias.</summary>
    Span<float> Bias { get; }

    /// <summary>
    /// Threads a <see cref="ILayer.Forward"/> call may use: 0 (the default) lets the layer decide per call (one thread for
    /// small work, all processors for large), 1 keeps every call on the calling thread, n allows at most n. Layers
    /// served by the general kernel always run on the calling thread.
    /// </summary>
    int Threads { get; set; }
}
