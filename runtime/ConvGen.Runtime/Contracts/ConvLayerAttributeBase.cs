using System;

namespace ConvGen;

/// <summary>
/// What every ConvGen layer attribute (<see cref="ConvLayerAttribute"/>, <see cref="Conv1dLayerAttribute"/>,
/// <see cref="Conv3dLayerAttribute"/>, <see cref="ConvTransposeLayerAttribute"/>, <see cref="ConvTranspose1dLayerAttribute"/>,
/// <see cref="ConvTranspose3dLayerAttribute"/>, <see cref="SeparableConvLayerAttribute"/>) has: channels, bias,
/// how the padding is decided and filled, and the activation applied to the output.
/// </summary>
/// <remarks>
/// An argument that is not written takes its default; an argument written with an invalid value is a build error,
/// never the default. A class carries at most one ConvGen layer attribute.
/// </remarks>
public abstract class ConvLayerAttributeBase : Attribute
{
    /// <summary>Input channels; fixes the channel count at build time when given with <see cref="OutChannels"/>.</summary>
    public int InChannels { get; set; }

    /// <summary>Output channels; fixes the channel count at build time when given with <see cref="InChannels"/>.</summary>
    public int OutChannels { get; set; }

    /// <summary>Whether each output channel has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// How the pads are decided (default <see cref="PaddingRule.Explicit"/>: the written pads, zero when none are written).
    /// <see cref="PaddingRule.Same"/>, <see cref="PaddingRule.SameLower"/> and <see cref="PaddingRule.Valid"/> decide them
    /// and cannot be combined with written pads.
    /// </summary>
    public PaddingRule Padding { get; set; }

    /// <summary>What the padding is filled with (default <see cref="PaddingMode.Zeros"/>).</summary>
    public PaddingMode PaddingMode { get; set; }

    /// <summary>The function applied to every output after the bias (default <see cref="Activation.None"/>).</summary>
    public Activation Activation { get; set; }

    /// <summary>Slope for negative inputs of <see cref="Activation.LeakyReLU"/> (default 0.01, as PyTorch); ignored by other activations.</summary>
    public float NegativeSlope { get; set; } = 0.01f;
}
