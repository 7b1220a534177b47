using System;

namespace ConvGen;

/// <summary>
/// Declares a 1-D convolution layer over NCL data (batch, channels, length) whose kernel the ConvGen source generator
/// specializes at build time. Apply it to a <c>partial</c> class; the generator adds an <see cref="IConvLayer"/>
/// implementation. Weights are laid out [OutChannels, InChannels/Groups, K], as PyTorch's <c>Conv1d</c>.
/// </summary>
/// <remarks>
/// An argument that is not written takes its default (P = 0, S = 1, D = 1, Groups = 1, Bias = true); an argument
/// written with an invalid value is a build error, never the default. <see cref="PadLeft"/> and <see cref="PadRight"/>
/// override <see cref="P"/> for their end of the sequence.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class Conv1dLayerAttribute : ConvLayerAttributeBase
{
    /// <summary>Kernel length.</summary>
    public int K { get; set; }

    /// <summary>Padding at both ends of the sequence (default 0).</summary>
    public int P { get; set; }
    /// <summary>Padding before the first element; overrides <see cref="P"/> for the start.</summary>
    public int PadLeft { get; set; }
    /// <summary>Padding after the last element; overrides <see cref="P"/> for the end.</summary>
    public int PadRight { get; set; }

    /// <summary>Stride (default 1).</summary>
    public int S { get; set; } = 1;

    /// <summary>Dilation (default 1).</summary>
    public int D { get; set; } = 1;

    /// <summary>Number of channel groups (default 1); Groups = InChannels is a depthwise convolution.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Optional static input length: the output length becomes a constant and other lengths are rejected.</summary>
    public int InL { get; set; }
}
