using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Model;

/// <summary>
/// A layer's resolved geometry. Channel counts are 0 when they are given at run time, input sizes are 0 when any
/// size is accepted.
/// </summary>
internal sealed record LayerGeometry(
    int InChannels, int OutChannels,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int PadH, int PadW,
    int DilationH, int DilationW,
    int Groups, bool HasBias,
    int InH, int InW)
{
    public bool HasStaticChannels => InChannels > 0 && OutChannels > 0;
    public bool HasStaticHeight => InH > 0;
    public bool HasStaticWidth => InW > 0;
    public bool HasStaticSize => HasStaticHeight && HasStaticWidth;

    public int InChannelsPerGroup => InChannels / Groups;
    public int OutChannelsPerGroup => OutChannels / Groups;
    public int Taps => KernelH * KernelW;

    public long OutH => ConvArithmetic.OutputSize(InH, KernelH, PadH, PadH, StrideH, DilationH);
    public long OutW => ConvArithmetic.OutputSize(InW, KernelW, PadW, PadW, StrideW, DilationW);

    public long ReceptiveFieldH => ConvArithmetic.ReceptiveField(KernelH, DilationH);
    public long ReceptiveFieldW => ConvArithmetic.ReceptiveField(KernelW, DilationW);

    /// <summary>
    /// A 1x1 kernel with unit stride and no padding reads and writes every plane contiguously, so the kernel treats
    /// each plane as one row of H*W pixels: no row ends, hence no partly used vectors at the end of every row.
    /// </summary>
    public bool IsFlatPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Whether the kernel reads a zero-bordered, phase-split copy of the input rather than the input itself.</summary>
    public bool NeedsStaging => PadH > 0 || PadW > 0 || StrideW > 1;
}
