using System;
using System.Globalization;
using System.Text;

namespace ConvGen;

/// <summary>
/// The complete description of a convolution layer of any kind (<see cref="ConvKind"/>) and any dimension (1-D, 2-D,
/// 3-D): channels, kernel, stride, padding, dilation, groups, bias, activation and an optional static input size
/// (0 = any). Generated layers and the run-time factories (Conv1d, Conv2d, Conv3d, ConvTranspose, SeparableConv2d)
/// share it, so shape checks and messages are identical.
/// </summary>
/// <remarks>
/// The constructor describes a 2-D convolution; the other kinds set <see cref="Dimensions"/>, <see cref="Kind"/>
/// and the depth axis with <c>with { ... }</c> or come from the static helpers of this type. A 1-D
/// layer uses the width axis (KernelW, StrideW, ...) and leaves the height and depth axes at 1 and 0; a 2-D layer
/// leaves the depth axis so. <see cref="PadH"/> sets the padding at both ends of the height axis
/// (<see cref="PadTop"/> and <see cref="PadBottom"/>); set those two for asymmetric padding.
/// </remarks>
public readonly record struct ConvGeometry
{
    /// <summary>A 2-D convolution.</summary>
    public ConvGeometry(int InChannels, int OutChannels, int KernelH, int KernelW, int StrideH = 1, int StrideW = 1,
        int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1, int Groups = 1, bool HasBias = true,
        int StaticInH = 0, int StaticInW = 0)
    {
        this.InChannels = InChannels;
        this.OutChannels = OutChannels;
        this.KernelH = KernelH;
        this.KernelW = KernelW;
        this.StrideH = StrideH;
        this.StrideW = StrideW;
        PadTop = PadBottom = PadH;
        PadLeft = PadRight = PadW;
        this.DilationH = DilationH;
        this.DilationW = DilationW;
        this.Groups = Groups;
        this.HasBias = HasBias;
        this.StaticInH = StaticInH;
        this.StaticInW = StaticInW;
    }

    /// <summary>What the layer computes (default <see cref="ConvKind.Convolution"/>).</summary>
    public ConvKind Kind { get; init; }

    /// <summary>Spatial dimensions: 1 (NCL data), 2 (NCHW) or 3 (NCDHW). Default 2.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Input channels.</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels (filters).</summary>
    public int OutChannels { get; init; }

    /// <summary>Kernel depth (3-D); 1 otherwise.</summary>
    public int KernelD { get; init; } = 1;

    /// <summary>Kernel height; 1 for 1-D layers.</summary>
    public int KernelH { get; init; }

    /// <summary>Kernel width, or length for 1-D layers.</summary>
    public int KernelW { get; init; }

    /// <summary>Depth stride (3-D).</summary>
    public int StrideD { get; init; } = 1;

    /// <summary>Vertical stride.</summary>
    public int StrideH { get; init; }

    /// <summary>Horizontal stride, or the stride of a 1-D layer.</summary>
    public int StrideW { get; init; }

    /// <summary>Padding at both ends of the depth axis; reads as the front padding.</summary>
    public int PadD { get => PadFront; init => PadFront = PadBack = value; }

    /// <summary>Padding at both ends of the height axis; reads as the top padding.</summary>
    public int PadH { get => PadTop; init => PadTop = PadBottom = value; }

    /// <summary>Padding at both ends of the width axis; reads as the left padding.</summary>
    public int PadW { get => PadLeft; init => PadLeft = PadRight = value; }

    /// <summary>Padding before the first plane of the depth axis.</summary>
    public int PadFront { get; init; }

    /// <summary>Padding after the last plane of the depth axis.</summary>
    public int PadBack { get; init; }

    /// <summary>Rows of padding above the input.</summary>
    public int PadTop { get; init; }

    /// <summary>Rows of padding below the input.</summary>
    public int PadBottom { get; init; }

    /// <summary>Columns of padding left of the input (the start of a 1-D sequence).</summary>
    public int PadLeft { get; init; }

    /// <summary>Columns of padding right of the input (the end of a 1-D sequence).</summary>
    public int PadRight { get; init; }

    /// <summary>Depth dilation (3-D).</summary>
    public int DilationD { get; init; } = 1;

    /// <summary>Vertical dilation.</summary>
    public int DilationH { get; init; }

    /// <summary>Horizontal dilation, or the dilation of a 1-D layer.</summary>
    public int DilationW { get; init; }

    /// <summary>Extra planes added at the back of a transposed layer's output (PyTorch <c>output_padding</c>).</summary>
    public int OutputPadD { get; init; }

    /// <summary>Extra rows added at the bottom of a transposed layer's output.</summary>
    public int OutputPadH { get; init; }

    /// <summary>Extra columns added at the right of a transposed layer's output (the end of a 1-D output).</summary>
    public int OutputPadW { get; init; }

    /// <summary>Channel groups; Groups = InChannels is a depthwise convolution. Separable layers have 1.</summary>
    public int Groups { get; init; }

    /// <summary>Depthwise outputs per input channel of a separable layer (Keras <c>depth_multiplier</c>); 1 for other kinds.</summary>
    public int DepthMultiplier { get; init; } = 1;

    /// <summary>Whether each filter has a bias (for a separable layer: each pointwise filter).</summary>
    public bool HasBias { get; init; }

    /// <summary>How the pads are decided: written (<see cref="PaddingRule.Explicit"/>), 'same' or 'valid'.</summary>
    public PaddingRule PaddingRule { get; init; }

    /// <summary>What the padding is filled with.</summary>
    public PaddingMode PaddingMode { get; init; }

    /// <summary>The function applied to every output after the bias.</summary>
    public Activation Activation { get; init; }

    /// <summary>Slope of <see cref="Activation.LeakyReLU"/> for negative inputs (default 0.01, as PyTorch).</summary>
    public float NegativeSlope { get; init; } = 0.01f;

    /// <summary>Static input depth (3-D), 0 for any.</summary>
    public int StaticInD { get; init; }

    /// <summary>Static input height, 0 for any.</summary>
    public int StaticInH { get; init; }

    /// <summary>Static input width (length of a 1-D input), 0 for any.</summary>
    public int StaticInW { get; init; }

    /// <summary>A 1-D convolution over NCL data (the width axis).</summary>
    public static ConvGeometry Conv1d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => new ConvGeometry(inChannels, outChannels, 1, kernel, 1, stride, 0, padding, 1, dilation, groups, bias) { Dimensions = 1 };

    /// <summary>A 2-D convolution with a square kernel.</summary>
    public static ConvGeometry Conv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => new(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding, dilation, dilation, groups, bias);

    /// <summary>A 3-D convolution over NCDHW data with a cubic kernel.</summary>
    public static ConvGeometry Conv3d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, bool bias = true)
        => new ConvGeometry(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding, dilation, dilation, groups, bias)
        {
            Dimensions = 3, KernelD = kernel, StrideD = stride, PadD = padding, DilationD = dilation,
        };

    /// <summary>
    /// A transposed convolution of <paramref name="dimensions"/> dimensions with the same kernel, stride, padding,
    /// output padding and dilation on every axis.
    /// </summary>
    public static ConvGeometry ConvTranspose(int dimensions, int inChannels, int outChannels, int kernel, int stride = 1,
        int padding = 0, int outputPadding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        ConvGeometry g = dimensions switch
        {
            1 => Conv1d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias),
            3 => Conv3d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias),
            _ => Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias) with { Dimensions = dimensions },
        };
        return g with
        {
            Kind = ConvKind.Transposed,
            OutputPadW = outputPadding,
            OutputPadH = dimensions >= 2 ? outputPadding : 0,
            OutputPadD = dimensions == 3 ? outputPadding : 0,
        };
    }

    /// <summary>A 2-D depthwise-separable convolution: depthwise kernel×kernel with a channel multiplier, then pointwise 1×1.</summary>
    public static ConvGeometry SeparableConv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0,
        int dilation = 1, int depthMultiplier = 1, bool bias = true)
        => Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, 1, bias) with
        {
            Kind = ConvKind.Separable, DepthMultiplier = depthMultiplier,
        };

    /// <summary>Input channels per group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Kernel taps per filter and input channel: KernelD·KernelH·KernelW.</summary>
    public long KernelTaps => (long)KernelD * KernelH * KernelW;

    /// <summary>Channels between the two halves of a separable layer: InChannels·DepthMultiplier.</summary>
    public int DepthwiseChannels => InChannels * DepthMultiplier;

    /// <summary>
    /// Number of weights: Cout·(Cin/G)·taps for a convolution, Cin·(Cout/G)·taps for a transposed one (the same number,
    /// laid out [Cin, Cout/G, k...]), and Cin·M·taps depthwise plus Cout·Cin·M pointwise for a separable one.
    /// </summary>
    public int WeightCount => checked((int)WeightCountLong);

    /// <summary>Weights of the depthwise half of a separable layer, which come first in its weight span; 0 for other kinds.</summary>
    public int DepthwiseWeightCount => Kind == ConvKind.Separable ? checked((int)((long)DepthwiseChannels * KernelTaps)) : 0;

    private long WeightCountLong => Kind == ConvKind.Separable
        ? (long)DepthwiseChannels * KernelTaps + (long)OutChannels * DepthwiseChannels
        : ConvArithmetic.WeightCount(InChannels, OutChannels, Groups, KernelH, KernelW) * KernelD;

    /// <summary>Weights plus biases.</summary>
    public long ParameterCount => WeightCountLong + (HasBias ? OutChannels : 0);

    /// <summary>Throws <see cref="ArgumentException"/> when the geometry itself is invalid (the generator rejects these at build time).</summary>
    public void Validate()
    {
        if (Dimensions is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, Format("Dimensions = {0} must be 1, 2 or 3.", Dimensions));
        }

        if (Kind is < ConvKind.Convolution or > ConvKind.Separable)
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, Format("Kind = {0} is not a ConvKind.", (int)Kind));
        }

        if (PaddingRule is < PaddingRule.Explicit or > PaddingRule.Valid
            || PaddingMode is < PaddingMode.Zeros or > PaddingMode.Circular
            || Activation is < Activation.None or > Activation.SiLU)
        {
            throw new ArgumentException(Format("PaddingRule = {0}, PaddingMode = {1}, Activation = {2}: a value is outside its enum.",
                (int)PaddingRule, (int)PaddingMode, (int)Activation));
        }

        Require(InChannels > 0, nameof(InChannels), InChannels, "must be positive");
        Require(OutChannels > 0, nameof(OutChannels), OutChannels, "must be positive");
        Require(Groups > 0, nameof(Groups), Groups, "must be positive");
        Require(DepthMultiplier > 0, nameof(DepthMultiplier), DepthMultiplier, "must be positive");
        foreach ((string axis, int k, int s, int d, int pb, int pe, int op, int size, bool used) in Axes())
        {
            if (!used)
            {
                Require(k == 1, "Kernel" + axis, k, "must be 1 for a " + DimensionName + " layer");
                Require(s == 1, "Stride" + axis, s, "must be 1 for a " + DimensionName + " layer");
                Require(d == 1, "Dilation" + axis, d, "must be 1 for a " + DimensionName + " layer");
                Require(pb == 0 && pe == 0, "Pad" + axis, pb + pe, "must be 0 for a " + DimensionName + " layer");
                Require(op == 0, "OutputPad" + axis, op, "must be 0 for a " + DimensionName + " layer");
                Require(size == 0 || size == 1, "StaticIn" + axis, size, "must be 0 or 1 for a " + DimensionName + " layer");
                continue;
            }

            Require(k > 0, "Kernel" + axis, k, "must be positive");
            Require(s > 0, "Stride" + axis, s, "must be positive");
            Require(d > 0, "Dilation" + axis, d, "must be positive");
            // Symmetric padding was most likely written as PadH/PadW/PadD: name it so.
            Require(pb >= 0, pb == pe ? "Pad" + axis : BeginPadName(axis), pb, "must not be negative");
            Require(pe >= 0, EndPadName(axis), pe, "must not be negative");
            Require(size >= 0, "StaticIn" + axis, size, "must not be negative (0 means any size)");
            Require(op >= 0, "OutputPad" + axis, op, "must not be negative");
            if (PaddingRule != PaddingRule.Explicit && (pb != 0 || pe != 0))
            {
                throw new ArgumentException(Format("PaddingRule = {0} decides the padding itself, but {1} = {2} and {3} = {4} are set too.",
                    PaddingRule, BeginPadName(axis), pb, EndPadName(axis), pe));
            }

            if (Kind == ConvKind.Transposed && op >= s && op >= d)
            {
                throw new ArgumentException(Format(
                    "OutputPad{0} = {1} must be smaller than Stride{0} = {2} or Dilation{0} = {3}: a larger output padding adds outputs no input reaches.",
                    axis, op, s, d));
            }

            if (Kind != ConvKind.Transposed && op != 0)
            {
                throw new ArgumentException(Format("OutputPad{0} = {1} applies only to transposed layers; this is a {2}.", axis, op, Kind));
            }
        }

        if (Kind == ConvKind.Transposed && PaddingMode != PaddingMode.Zeros)
        {
            throw new ArgumentException(Format("PaddingMode = {0}: transposed layers pad with zeros only, as in PyTorch.", PaddingMode));
        }

        if (Kind == ConvKind.Separable && Groups != 1)
        {
            throw new ArgumentException(Format("Groups = {0}: a separable layer is depthwise then pointwise by definition; leave Groups at 1.", Groups));
        }

        if (Kind != ConvKind.Separable && DepthMultiplier != 1)
        {
            throw new ArgumentException(Format(
                "DepthMultiplier = {0} applies only to separable layers; a depthwise {1} multiplies channels with OutChannels = Groups * multiplier.",
                DepthMultiplier, Kind));
        }

        if (float.IsNaN(NegativeSlope) || float.IsInfinity(NegativeSlope))
        {
            throw new ArgumentException(Format("NegativeSlope = {0} must be a finite number.", NegativeSlope));
        }

        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException(Format("Groups = {0} must divide both InChannels = {1} and OutChannels = {2}.", Groups, InChannels, OutChannels));
        }

        if (WeightCountLong > int.MaxValue)
        {
            throw new ArgumentException("The layer has more than 2^31 - 1 weights.");
        }
    }

    private string DimensionName => Dimensions switch { 1 => "1-D", 3 => "3-D", _ => "2-D" };

    private static string BeginPadName(string axis) => axis switch { "D" => "PadFront", "H" => "PadTop", _ => "PadLeft" };

    private static string EndPadName(string axis) => axis switch { "D" => "PadBack", "H" => "PadBottom", _ => "PadRight" };

    private (string Axis, int K, int S, int D, int PadBegin, int PadEnd, int OutputPad, int Size, bool Used)[] Axes() =>
    [
        ("D", KernelD, StrideD, DilationD, PadFront, PadBack, OutputPadD, StaticInD, Dimensions == 3),
        ("H", KernelH, StrideH, DilationH, PadTop, PadBottom, OutputPadH, StaticInH, Dimensions >= 2),
        ("W", KernelW, StrideW, DilationW, PadLeft, PadRight, OutputPadW, StaticInW, true),
    ];

    private static void Require(bool ok, string name, int value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value.ToString(CultureInfo.InvariantCulture)} {rule}.");
        }
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    /// <inheritdoc/>
    public override string ToString()
    {
        var s = new StringBuilder();
        string name = Kind switch { ConvKind.Transposed => "ConvTranspose", ConvKind.Separable => "SeparableConv", _ => "Conv" };
        s.Append(name).Append(Dimensions.ToString(CultureInfo.InvariantCulture)).Append("d(")
            .Append(InChannels.ToString(CultureInfo.InvariantCulture)).Append("->").Append(OutChannels.ToString(CultureInfo.InvariantCulture));
        s.Append(", kernel ").Append(Join(KernelD, KernelH, KernelW));
        s.Append(", stride ").Append(Join(StrideD, StrideH, StrideW));
        s.Append(", padding ");
        s.Append(PaddingRule switch
        {
            PaddingRule.Same => "same",
            PaddingRule.SameLower => "same-lower",
            PaddingRule.Valid => "valid",
            _ => PadFront == PadBack && PadTop == PadBottom && PadLeft == PadRight
                ? Join(PadFront, PadTop, PadLeft)
                : Join(PadFront, PadTop, PadLeft) + " begin, " + Join(PadBack, PadBottom, PadRight) + " end",
        });
        if (PaddingMode != PaddingMode.Zeros)
        {
            s.Append(' ').Append(PaddingMode.ToString().ToLowerInvariant());
        }

        s.Append(", dilation ").Append(Join(DilationD, DilationH, DilationW));
        if (Kind == ConvKind.Transposed)
        {
            s.Append(", output padding ").Append(Join(OutputPadD, OutputPadH, OutputPadW));
        }

        if (Kind == ConvKind.Separable)
        {
            s.Append(", depth multiplier ").Append(DepthMultiplier.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            s.Append(", groups ").Append(Groups.ToString(CultureInfo.InvariantCulture));
        }

        s.Append(HasBias ? ", bias" : ", no bias");
        if (Activation != Activation.None)
        {
            s.Append(", ").Append(Activation.ToString());
            if (Activation == Activation.LeakyReLU)
            {
                s.Append('(').Append(NegativeSlope.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
        }

        return s.Append(')').ToString();
    }

    private string Join(int d, int h, int w) => Dimensions switch
    {
        1 => w.ToString(CultureInfo.InvariantCulture),
        3 => string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", d, h, w),
        _ => string.Format(CultureInfo.InvariantCulture, "{0}x{1}", h, w),
    };
}
