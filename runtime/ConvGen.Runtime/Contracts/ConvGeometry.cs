using System;
using System.Globalization;

namespace ConvGen;

/// <summary>
/// The complete description of a 2-D convolution layer: channels, kernel, stride, padding, dilation, groups, bias,
/// and an optional static input size (0 = any). Generated layers and <see cref="Conv2d.Create(ConvGeometry)"/> share it, so shape
/// checks and messages are identical for both.
/// </summary>
public readonly record struct ConvGeometry(
    int InChannels, int OutChannels,
    int KernelH, int KernelW,
    int StrideH = 1, int StrideW = 1,
    int PadH = 0, int PadW = 0,
    int DilationH = 1, int DilationW = 1,
    int Groups = 1,
    bool HasBias = true,
    int StaticInH = 0, int StaticInW = 0)
{
    /// <summary>Input channels per group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Number of weights, Cout·(Cin/G)·Kh·Kw.</summary>
    public int WeightCount => checked((int)ConvArithmetic.WeightCount(InChannels, OutChannels, Groups, KernelH, KernelW));

    /// <summary>Weights plus biases.</summary>
    public long ParameterCount => ConvArithmetic.ParameterCount(InChannels, OutChannels, Groups, KernelH, KernelW, HasBias);

    /// <summary>Throws <see cref="ArgumentException"/> when the geometry itself is invalid (the generator rejects these at build time).</summary>
    public void Validate()
    {
        Require(InChannels > 0, nameof(InChannels), InChannels, "must be positive");
        Require(OutChannels > 0, nameof(OutChannels), OutChannels, "must be positive");
        Require(KernelH > 0, nameof(KernelH), KernelH, "must be positive");
        Require(KernelW > 0, nameof(KernelW), KernelW, "must be positive");
        Require(StrideH > 0, nameof(StrideH), StrideH, "must be positive");
        Require(StrideW > 0, nameof(StrideW), StrideW, "must be positive");
        Require(PadH >= 0, nameof(PadH), PadH, "must not be negative");
        Require(PadW >= 0, nameof(PadW), PadW, "must not be negative");
        Require(DilationH > 0, nameof(DilationH), DilationH, "must be positive");
        Require(DilationW > 0, nameof(DilationW), DilationW, "must be positive");
        Require(Groups > 0, nameof(Groups), Groups, "must be positive");
        Require(StaticInH >= 0, nameof(StaticInH), StaticInH, "must not be negative (0 means any height)");
        Require(StaticInW >= 0, nameof(StaticInW), StaticInW, "must not be negative (0 means any width)");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "Groups = {0} must divide both InChannels = {1} and OutChannels = {2}.", Groups, InChannels, OutChannels));
        }

        if (ConvArithmetic.WeightCount(InChannels, OutChannels, Groups, KernelH, KernelW) > int.MaxValue)
        {
            throw new ArgumentException("The layer has more than 2^31 - 1 weights.");
        }
    }

    private static void Require(bool ok, string name, int value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value.ToString(CultureInfo.InvariantCulture)} {rule}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "Conv2d({0}->{1}, kernel {2}x{3}, stride {4}x{5}, padding {6}x{7}, dilation {8}x{9}, groups {10}, bias {11})",
        InChannels, OutChannels, KernelH, KernelW, StrideH, StrideW, PadH, PadW, DilationH, DilationW, Groups, HasBias);
}
