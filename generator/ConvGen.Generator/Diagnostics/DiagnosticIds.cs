namespace ConvGen.Generator.Diagnostics;

/// <summary>Every diagnostic id ConvGen reports. Public constants so code fixes and tests can name them.</summary>
public static class DiagnosticIds
{
    // CONV0001-0049: misuse of the attribute or the class it is on.
    public const string NotPartial = "CONV0001";
    public const string ContainingTypeNotPartial = "CONV0002";
    public const string GenericLayer = "CONV0003";
    public const string KernelSizeInvalid = "CONV0004";
    public const string KernelSizeConflict = "CONV0005";
    public const string KernelSizeMissing = "CONV0006";
    public const string StrideInvalid = "CONV0007";
    public const string DilationInvalid = "CONV0008";
    public const string PaddingNegative = "CONV0009";
    public const string GroupsInvalid = "CONV0010";
    public const string GroupsNotDividing = "CONV0011";
    public const string ChannelsInvalid = "CONV0012";
    public const string ChannelsHalfSpecified = "CONV0013";
    public const string InputSizeInvalid = "CONV0014";
    public const string StaticOrAbstractLayer = "CONV0015";
    public const string LayerTooLarge = "CONV0016";

    // CONV0050-0079: shape checks.
    public const string OutputSizeNotPositive = "CONV0050";
    public const string InputNeverRead = "CONV0051";
    public const string PaddingOnlyOutputs = "CONV0052";
    public const string EvenKernelHalfPadding = "CONV0053";

    // CONV0080-0099: information about the generated code.
    public const string GeneralKernelFallback = "CONV0080";
}
