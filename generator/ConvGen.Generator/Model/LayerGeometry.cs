using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Model;

/// <summary>
/// A layer's resolved geometry. Channel counts are 0 when they are given at run time, input sizes are 0 when any
/// size is accepted.
/// </summary>
/// <remarks>
/// <para>
/// The positional parameters describe a 2-D layer as they always have: <c>PadH</c> is the top pad and <c>PadW</c> the
/// left pad, and the init-only members default to a symmetric 2-D convolution (<see cref="PadBottom"/> = PadH,
/// <see cref="PadRight"/> = PadW, no depth axis, zero padding, no activation), so <c>new LayerGeometry(...)</c> with
/// the positional arguments alone still means what it did.
/// </para>
/// <para>
/// A 1-D layer lies on the WIDTH axis: KernelW, StrideW, DilationW, PadW/PadRight and InW are its kernel, stride,
/// dilation, pads and length, while the height axis is KernelH = StrideH = DilationH = 1, no pads, and InH = 1 (always
/// static: a sequence is a 1-row image). Layers of fewer than 3 dimensions have KernelD = StrideD = DilationD = 1, no
/// depth pads and InD = 0.
/// </para>
/// <para>
/// Pads are the resolved ones: 'valid' is 0, and 'same' is the split total whenever it is known at build time (always
/// at stride 1 and for transposed layers, or with a static size on the axis). When it is not,
/// <see cref="PadsKnownAtBuildTime"/> is false, the pads read 0 and the run time decides them per input size.
/// </para>
/// </remarks>
internal sealed record LayerGeometry(
    int InChannels, int OutChannels,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadH, int PadW,
    int DilationH, int DilationW,
    int Groups, bool HasBias,
    int InH, int InW)
{
    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; init; } = LayerKind.Convolution;

    /// <summary>Spatial dimensions: 1, 2 or 3.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Kernel depth (3-D); 1 otherwise.</summary>
    public int KernelD { get; init; } = 1;

    /// <summary>Depth stride (3-D); 1 otherwise.</summary>
    public int StrideD { get; init; } = 1;

    /// <summary>Depth dilation (3-D); 1 otherwise.</summary>
    public int DilationD { get; init; } = 1;

    /// <summary>Static input depth (3-D), 0 for any depth or for layers without a depth axis.</summary>
    public int InD { get; init; }

    /// <summary>Padding below the input (crop at the bottom for a transposed layer). <see cref="PadH"/> is the top.</summary>
    public int PadBottom { get; init; } = PadH;

    /// <summary>Padding right of the input (the end of a 1-D sequence). <see cref="PadW"/> is the left.</summary>
    public int PadRight { get; init; } = PadW;

    /// <summary>Padding before the first plane (3-D).</summary>
    public int PadFront { get; init; }

    /// <summary>Padding after the last plane (3-D).</summary>
    public int PadBack { get; init; }

    /// <summary>Extra planes at the back of a transposed layer's output.</summary>
    public int OutputPadD { get; init; }

    /// <summary>Extra rows at the bottom of a transposed layer's output.</summary>
    public int OutputPadH { get; init; }

    /// <summary>Extra columns at the right of a transposed layer's output (the end of a 1-D output).</summary>
    public int OutputPadW { get; init; }

    /// <summary>Depthwise outputs per input channel of a separable layer; 1 for other kinds.</summary>
    public int DepthMultiplier { get; init; } = 1;

    /// <summary>How the pads were decided.</summary>
    public LayerPaddingRule PaddingRule { get; init; } = LayerPaddingRule.Explicit;

    /// <summary>What the padding is filled with.</summary>
    public LayerPaddingMode PaddingMode { get; init; } = LayerPaddingMode.Zeros;

    /// <summary>The function applied to every output after the bias.</summary>
    public LayerActivation Activation { get; init; } = LayerActivation.None;

    /// <summary>Slope of <see cref="LayerActivation.LeakyReLU"/> for negative inputs.</summary>
    public float NegativeSlope { get; init; } = 0.01f;

    /// <summary>
    /// False when 'same' padding depends on the input size (stride above 1 without a static size on that axis): the
    /// pad members then read 0 and the run time decides the pads per input.
    /// </summary>
    public bool PadsKnownAtBuildTime { get; init; } = true;

    public bool HasStaticChannels => InChannels > 0 && OutChannels > 0;
    public bool HasStaticHeight => InH > 0;
    public bool HasStaticWidth => InW > 0;
    public bool HasStaticDepth => InD > 0;

    /// <summary>Whether every used axis has a static size.</summary>
    public bool HasStaticSize => HasStaticHeight && HasStaticWidth && (Dimensions < 3 || HasStaticDepth);

    public int InChannelsPerGroup => InChannels / Groups;
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Kernel taps per filter and input channel: KernelD·KernelH·KernelW.</summary>
    public int Taps => KernelD * KernelH * KernelW;

    public long OutD => OutputSize(InD, KernelD, PadFront, PadBack, StrideD, DilationD, OutputPadD);
    public long OutH => OutputSize(InH, KernelH, PadH, PadBottom, StrideH, DilationH, OutputPadH);
    public long OutW => OutputSize(InW, KernelW, PadW, PadRight, StrideW, DilationW, OutputPadW);

    public long ReceptiveFieldH => ConvArithmetic.ReceptiveField(KernelH, DilationH);
    public long ReceptiveFieldW => ConvArithmetic.ReceptiveField(KernelW, DilationW);

    /// <summary>
    /// A 1x1 kernel with unit stride and no padding reads and writes every plane contiguously, so the kernel treats
    /// each plane as one row of H*W pixels: no row ends, hence no partly used vectors at the end of every row.
    /// </summary>
    public bool IsFlatPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1
        && PadH == 0 && PadW == 0 && PadBottom == 0 && PadRight == 0
        && KernelD == 1 && StrideD == 1 && PadFront == 0 && PadBack == 0;

    /// <summary>A 3-D layer whose kernel walks output depths (every 3-D layer but a flat pointwise one).</summary>
    public bool HasDepthLoop => Dimensions == 3 && !IsFlatPointwise;

    /// <summary>Taps unrolled per input channel and depth tap: KernelH·KernelW (3-D kernels loop over KernelD).</summary>
    public int PlaneTaps => KernelH * KernelW;

    /// <summary>Whether the kernel reads a zero-bordered, phase-split copy of the input rather than the input itself.</summary>
    public bool NeedsStaging => PadH > 0 || PadW > 0 || PadBottom > 0 || PadRight > 0 || PadFront > 0 || PadBack > 0 || StrideW > 1;

    private long OutputSize(int input, int kernel, int padBegin, int padEnd, int stride, int dilation, int outputPad)
        => Kind == LayerKind.Transposed
            ? ConvArithmetic.TransposedOutputSize(input, kernel, padBegin, padEnd, stride, dilation, outputPad)
            : ConvArithmetic.OutputSize(input, kernel, padBegin, padEnd, stride, dilation);
}
