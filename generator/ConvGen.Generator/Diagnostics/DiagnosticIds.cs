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
    public const string MultipleLayerAttributes = "CONV0017";
    public const string PaddingRuleWithPads = "CONV0018";
    public const string OutputPaddingNegative = "CONV0019";
    public const string OutputPaddingTooLarge = "CONV0020";
    public const string PaddingModeOnTransposed = "CONV0021";
    public const string DepthMultiplierInvalid = "CONV0022";
    public const string NegativeSlopeIgnored = "CONV0023";
    public const string NegativeSlopeNotFinite = "CONV0024";
    public const string EnumValueInvalid = "CONV0025";
    public const string PoolArgumentInvalid = "CONV0026";
    public const string LinearArgumentInvalid = "CONV0027";

    // CONV0050-0079: shape checks.
    public const string OutputSizeNotPositive = "CONV0050";
    public const string InputNeverRead = "CONV0051";
    public const string PaddingOnlyOutputs = "CONV0052";
    public const string EvenKernelHalfPadding = "CONV0053";
    public const string SamePaddingImpossible = "CONV0054";
    public const string StrideWithDilation = "CONV0055";
    public const string TransposedOutputNotPositive = "CONV0056";
    public const string PaddingExceedsInput = "CONV0057";
    public const string SamePaddingAtRunTime = "CONV0058";

    // CONV0100-0119: networks ([Network] classes): layers that do not chain.
    public const string NetworkChannelMismatch = "CONV0100";
    public const string NetworkSizeNotPositive = "CONV0101";
    public const string NetworkFeaturesMismatch = "CONV0102";
    public const string NetworkLayerDoesNotFit = "CONV0103";
    public const string NetworkFieldNotALayer = "CONV0104";
    public const string NetworkLayerChannelsUnknown = "CONV0105";
    public const string NetworkInputInvalid = "CONV0106";
    public const string NetworkEmpty = "CONV0107";
    public const string NetworkDeclarationInvalid = "CONV0108";
    public const string NetworkResidualSourceInvalid = "CONV0109";
    public const string NetworkResidualShapeMismatch = "CONV0110";

    // CONV0080-0099: information about the generated code.
    public const string GeneralKernelFallback = "CONV0080";
}
