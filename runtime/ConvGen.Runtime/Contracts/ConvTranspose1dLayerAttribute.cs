using System;

namespace ConvGen;

/// <summary>
/// Declares a 1-D transposed convolution layer over NCL data (PyTorch <c>ConvTranspose1d</c>). Apply it to a
/// <c>partial</c> class. Weights are laid out [InChannels, OutChannels/Groups, K], as PyTorch's.
/// </summary>
/// <remarks>
/// The output length is (in − 1)·S − PadLeft − PadRight + D·(K − 1) + OutputPadding + 1: the pads crop the full
/// output rather than widen the input, and only zero padding exists (<see cref="ConvLayerAttributeBase.PaddingMode"/>
/// other than <see cref="PaddingMode.Zeros"/> is a build error). An argument that is not written takes its default;
/// an argument written with an invalid value is a build error, never the default.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConvTranspose1dLayerAttribute : ConvLayerAttributeBase
{
    /// <summary>Kernel length.</summary>
    public int K { get; set; }

    /// <summary>Elements cropped at both ends of the full output (default 0).</summary>
    public int P { get; set; }
    /// <summary>Elements cropped at the start; overrides <see cref="P"/> for the start.</summary>
    public int PadLeft { get; set; }
    /// <summary>Elements cropped at the end; overrides <see cref="P"/> for the end.</summary>
    public int PadRight { get; set; }

    /// <summary>Stride: the upsampling factor (default 1).</summary>
    public int S { get; set; } = 1;

    /// <summary>Dilation (default 1).</summary>
    public int D { get; set; } = 1;

    /// <summary>Extra elements added at the end of the output (default 0); must be smaller than the stride or the dilation.</summary>
    public int OutputPadding { get; set; }

    /// <summary>Number of channel groups (default 1).</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Optional static input length: the output length becomes a constant and other lengths are rejected.</summary>
    public int InL { get; set; }
}
