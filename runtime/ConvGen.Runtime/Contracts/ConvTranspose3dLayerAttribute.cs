using System;

namespace ConvGen;

/// <summary>
/// Declares a 3-D transposed convolution layer over NCDHW data (PyTorch <c>ConvTranspose3d</c>). Apply it to a
/// <c>partial</c> class. Weights are laid out [InChannels, OutChannels/Groups, Kd, Kh, Kw], as PyTorch's.
/// </summary>
/// <remarks>
/// The output size of each axis is (in − 1)·S − padBegin − padEnd + D·(K − 1) + outputPadding + 1: the pads crop the
/// full output, and only zero padding exists (<see cref="ConvLayerAttributeBase.PaddingMode"/> other than
/// <see cref="PaddingMode.Zeros"/> is a build error). Cubic shorthands (<see cref="K"/>, <see cref="P"/>, <see cref="S"/>, <see cref="D"/>) apply to all three axes; the
/// per-axis forms override them, and the one-sided pads (<see cref="PadFront"/> ... <see cref="PadRight"/>) override
/// both for their side. An argument that is not written takes its default (P = 0, S = 1, D = 1, Groups = 1,
/// Bias = true); an argument written with an invalid value is a build error, never the default.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConvTranspose3dLayerAttribute : ConvLayerAttributeBase
{
    /// <summary>Kernel size on all three axes.</summary>
    public int K { get; set; }
    /// <summary>Kernel depth; must agree with <see cref="K"/> when both are written.</summary>
    public int Kd { get; set; }
    /// <summary>Kernel height; must agree with <see cref="K"/> when both are written.</summary>
    public int Kh { get; set; }
    /// <summary>Kernel width; must agree with <see cref="K"/> when both are written.</summary>
    public int Kw { get; set; }

    /// <summary>Cropping on each side of all three axes (default 0).</summary>
    public int P { get; set; }
    /// <summary>Cropping before and after the depth axis; overrides <see cref="P"/>.</summary>
    public int Pd { get; set; }
    /// <summary>Cropping above and below; overrides <see cref="P"/>.</summary>
    public int Ph { get; set; }
    /// <summary>Cropping left and right; overrides <see cref="P"/>.</summary>
    public int Pw { get; set; }
    /// <summary>Planes cropped before the first plane; overrides <see cref="Pd"/> and <see cref="P"/>.</summary>
    public int PadFront { get; set; }
    /// <summary>Planes cropped after the last plane; overrides <see cref="Pd"/> and <see cref="P"/>.</summary>
    public int PadBack { get; set; }
    /// <summary>Rows cropped above; overrides <see cref="Ph"/> and <see cref="P"/>.</summary>
    public int PadTop { get; set; }
    /// <summary>Rows cropped below; overrides <see cref="Ph"/> and <see cref="P"/>.</summary>
    public int PadBottom { get; set; }
    /// <summary>Columns cropped at the left; overrides <see cref="Pw"/> and <see cref="P"/>.</summary>
    public int PadLeft { get; set; }
    /// <summary>Columns cropped at the right; overrides <see cref="Pw"/> and <see cref="P"/>.</summary>
    public int PadRight { get; set; }

    /// <summary>Stride on all three axes (default 1).</summary>
    public int S { get; set; } = 1;
    /// <summary>Depth stride; overrides <see cref="S"/>.</summary>
    public int Sd { get; set; } = 1;
    /// <summary>Vertical stride; overrides <see cref="S"/>.</summary>
    public int Sh { get; set; } = 1;
    /// <summary>Horizontal stride; overrides <see cref="S"/>.</summary>
    public int Sw { get; set; } = 1;

    /// <summary>Dilation on all three axes (default 1).</summary>
    public int D { get; set; } = 1;
    /// <summary>Depth dilation; overrides <see cref="D"/>.</summary>
    public int Dd { get; set; } = 1;
    /// <summary>Vertical dilation; overrides <see cref="D"/>.</summary>
    public int Dh { get; set; } = 1;
    /// <summary>Horizontal dilation; overrides <see cref="D"/>.</summary>
    public int Dw { get; set; } = 1;

    /// <summary>Extra planes, rows and columns added at the back, bottom and right of the output (default 0).</summary>
    public int OutputPadding { get; set; }
    /// <summary>Extra planes at the back; overrides <see cref="OutputPadding"/>. Must be smaller than Sd or Dd.</summary>
    public int OutputPaddingD { get; set; }
    /// <summary>Extra rows at the bottom; overrides <see cref="OutputPadding"/>. Must be smaller than Sh or Dh.</summary>
    public int OutputPaddingH { get; set; }
    /// <summary>Extra columns at the right; overrides <see cref="OutputPadding"/>. Must be smaller than Sw or Dw.</summary>
    public int OutputPaddingW { get; set; }

    /// <summary>Number of channel groups (default 1).</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Optional static input depth: the output depth becomes a constant and other depths are rejected.</summary>
    public int InD { get; set; }
    /// <summary>Optional static input height.</summary>
    public int InH { get; set; }
    /// <summary>Optional static input width.</summary>
    public int InW { get; set; }
}
