using System;

namespace ConvGen;

/// <summary>
/// Declares a 2-D depthwise-separable convolution layer (Keras <c>SeparableConv2D</c>): a depthwise Kh×Kw convolution
/// with <see cref="DepthMultiplier"/> outputs per input channel, then a pointwise 1×1 convolution to
/// <see cref="ConvLayerAttributeBase.OutChannels"/>. Apply it to a <c>partial</c> class. The weight span holds the
/// depthwise weights [InChannels·DepthMultiplier, 1, Kh, Kw] first, then the pointwise ones
/// [OutChannels, InChannels·DepthMultiplier, 1, 1]; the bias belongs to the pointwise half.
/// </summary>
/// <remarks>
/// Kernel, stride, padding and dilation describe the depthwise half, with the same shorthands as
/// <see cref="ConvLayerAttribute"/>. An argument that is not written takes its default; an argument written with an
/// invalid value is a build error, never the default.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SeparableConvLayerAttribute : ConvLayerAttributeBase
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

    /// <summary>
    /// Depthwise outputs per input channel (Keras <c>depth_multiplier</c>, default 1): the depthwise half has
    /// InChannels·DepthMultiplier channels, which the pointwise half mixes into <see cref="ConvLayerAttributeBase.OutChannels"/>.
    /// </summary>
    public int DepthMultiplier { get; set; } = 1;

    /// <summary>Optional static input height: the output height becomes a constant and other heights are rejected.</summary>
    public int InH { get; set; }
    /// <summary>Optional static input width: the output width becomes a constant and other widths are rejected.</summary>
    public int InW { get; set; }
}
