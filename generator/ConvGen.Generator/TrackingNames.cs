namespace ConvGen.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
public static class TrackingNames
{
    public const string Facts = nameof(Facts);
    public const string Extract = nameof(Extract);
    public const string NotNull = nameof(NotNull);
    public const string Plan = nameof(Plan);
}
