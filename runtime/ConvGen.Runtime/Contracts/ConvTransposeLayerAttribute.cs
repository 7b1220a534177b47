using System;

namespace ConvGen;

/// <summary>
/// Declares a 2-D transposed convolution layer over NCHW data (PyTorch <c>ConvTranspose2d</c>). Apply it to a
/// <c>partial</c> class. Weights are laid out [InChannels, OutChannels/Groups, Kh, Kw], as PyTorch's.
/// </summary>
/// <remarks>
/// The output size of each axis is (in − 1)·S − padBegin − padEnd + D·(K − 1) + outputPadding + 1: the pads crop the
/// full output rather than widen the input, and only zero padding exists
/// (<see cref="ConvLayerAttributeBase.PaddingMode"/> other than <see cref="PaddingMode.Zeros"/> is a build error).
/// Square shorthands apply to both axes and the per-axis and one-sided forms override them. An argument that is not
/// written takes its default; an argument written with an invalid value is a build error, never the default.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConvTransposeLayerAttribute : ConvLayerAttributeBase
{
    /// <summary>Kernel size on both axes.</summary>
    public int K { get; set; }
    /// <summary>Kernel height; must agree with <see cref="K"/> when both are written.</summary>
    public int Kh { get; set; }
    /// <summary>Kernel width; must agree with <see cref="K"/> when both are written.</summary>
    public int Kw { get; set; }

    /// <summary>Cropping on each side of both axes (default 0).</summary>
    public int P { get; set; }
    /// <summary>Cropping above and below; overrides <see cref="P"/>.</summary>
    public int Ph { get; set; }
    /// <summary>Cropping left and right; overrides <see cref="P"/>.</summary>
    public int Pw { get; set; }
    /// <summary>Rows cropped at the top; overrides <see cref="Ph"/> and <see cref="P"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Rows cropped at the bottom; overrides <see cref="Ph"/> and <see cref="P"/>.</summary>
    public int PadBottom { get; set; }
    /// <summary>Columns cropped at the left; overrides <see cref="Pw"/> and <see cref="P"/>.</summary>
    public int PadLeft { get; set; }
    /// <summary>Columns cropped at the right; overrides <see cref="Pw"/> and <see cref="P"/>.</summary>
    public int PadRight { get; set; }

    /// <summary>Stride (upsampling factor) on both axes (default 1).</summary>
    public int S { get; set; } = 1;
    /// <summary>Vertical stride; overrides <see cref="S"/>.</summary>
    public int Sh { get; set; } = 1;
    /// <summary>Horizontal stride; overrides <see cref="S"/>.</summary>
    public int Sw { get; set; } = 1;

    /// <summary>Dilation on both axes (default 1).</summary>
    public int D { get; set; } = 1;
    /// <summary>Vertical dilation; overrides <see cref="D"/>.</summary>
    public int Dh { get; set; } = 1;
    /// <summary>Horizontal dilation; overrides <see cref="D"/>.</summary>
    public int Dw { get; set; } = 1;

    /// <summary>Extra rows and columns added at the bottom and right of the output (default 0).</summary>
    public int OutputPadding { get; set; }
    /// <summary>Extra rows added at the bottom; overrides <see cref="OutputPadding"/>. Must be smaller than Sh or Dh.</summary>
    public int OutputPaddingH { get; set; }
    /// <summary>Extra columns added at the right; overrides <see cref="OutputPadding"/>. Must be smaller than Sw or Dw.</summary>
    public int OutputPaddingW { get; set; }

    /// <summary>Number of channel groups (default 1).</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Optional static input height: the output height becomes a constant and other heights are rejected.</summary>
    public int InH { get; set; }
    /// <summary>Optional static input width: the output width becomes a constant and other widths are rejected.</summary>
    public int InW { get; set; }
}
