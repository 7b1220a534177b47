using System;

namespace ConvGen;

/// <summary>
/// Declares a 2-D convolution layer whose kernel the ConvGen source generator specializes at build time.
/// Apply it to a <c>partial</c> class; the generator adds an <see cref="IConvLayer"/> implementation.
/// </summary>
/// <remarks>
/// Square shorthands (<see cref="K"/>, <see cref="P"/>, <see cref="S"/>, <see cref="D"/>) apply to both axes;
/// the per-axis forms override them. An argument that is not written takes its default (P = 0, S = 1, D = 1,
/// Groups = 1, Bias = true); an argument written with an invalid value is a build error, never the default.
/// The one-sided pads (<see cref="PadTop"/>, <see cref="PadBottom"/>, <see cref="PadLeft"/>, <see cref="PadRight"/>)
/// override <see cref="Ph"/>, <see cref="Pw"/> and <see cref="P"/> for their side. Channels, bias, padding rule and
/// mode, and activation come from <see cref="ConvLayerAttributeBase"/>.
/// When <see cref="ConvLayerAttributeBase.InChannels"/> and <see cref="ConvLayerAttributeBase.OutChannels"/> are given the class gets a parameterless
/// constructor; otherwise it gets a constructor <c>(int inChannels, int outChannels)</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConvLayerAttribute : ConvLayerAttributeBase
{
    /// <summary>Kernel size on both axes.</summary>
    public int K { get; set; }
    /// <summary>Kernel height; overrides nothing, must agree with <see cref="K"/> when both are written.</summary>
    public int Kh { get; set; }
    /// <summary>Kernel width; must agree with <see cref="K"/> when both are written.</summary>
    public int Kw { get; set; }

    /// <summary>Padding on each side of both axes (default 0); filled as <see cref="ConvLayerAttributeBase.PaddingMode"/> says.</summary>
    public int P { get; set; }
    /// <summary>Padding above and below; overrides <see cref="P"/>.</summary>
    public int Ph { get; set; }
    /// <summary>Padding left and right; overrides <see cref="P"/>.</summary>
    public int Pw { get; set; }

    /// <summary>Rows of padding above the input; overrides <see cref="Ph"/> and <see cref="P"/> for the top.</summary>
    public int PadTop { get; set; }
    /// <summary>Rows of padding below the input; overrides <see cref="Ph"/> and <see cref="P"/> for the bottom.</summary>
    public int PadBottom { get; set; }
    /// <summary>Columns of padding left of the input; overrides <see cref="Pw"/> and <see cref="P"/> for the left.</summary>
    public int PadLeft { get; set; }
    /// <summary>Columns of padding right of the input; overrides <see cref="Pw"/> and <see cref="P"/> for the right.</summary>
    public int PadRight { get; set; }

    /// <summary>Stride on both axes (default 1).</summary>
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

    /// <summary>Number of channel groups (default 1); Groups = InChannels is a depthwise convolution.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>
    /// Whether a 3x3 stride-1 layer with enough channels and a static size may run Winograd F(4x4, 3x3) (default true).
    /// False keeps the direct kernel, whose sums are the textbook ones; the generated header says which ran and why.
    /// </summary>
    public bool Winograd { get; set; } = true;

    /// <summary>Optional static input height: the output height becomes a constant and other heights are rejected.</summary>
    public int InH { get; set; }
    /// <summary>Optional static input width: the output width becomes a constant and other widths are rejected.</summary>
    public int InW { get; set; }
}
