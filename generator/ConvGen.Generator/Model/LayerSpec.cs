using ConvGen.Generator.Helpers;

namespace ConvGen.Generator.Model;

/// <summary>
/// Everything the generator needs from one <c>[ConvLayer]</c> class, as equatable primitives: no symbols, syntax or
/// locations, so the incremental pipeline can cache on it.
/// </summary>
internal sealed record LayerSpec
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";
    public bool IsPartial { get; init; }
    public int TypeParameterCount { get; init; }
    public bool IsGeneric => TypeParameterCount > 0;

    /// <summary>"class" or "record": the keyword the generated partial declaration must repeat.</summary>
    public string Keyword { get; init; } = "class";
    public bool IsStatic { get; init; }
    public bool IsAbstract { get; init; }
    public EquatableArray<ContainingType> ContainingTypes { get; init; } = EquatableArray<ContainingType>.Empty;

    /// <summary>False when an argument did not bind to a constant (half-typed code): nothing is generated or checked.</summary>
    public bool IsWellFormed { get; init; } = true;

    public IntArgument K { get; init; }
    public IntArgument Kh { get; init; }
    public IntArgument Kw { get; init; }
    public IntArgument P { get; init; }
    public IntArgument Ph { get; init; }
    public IntArgument Pw { get; init; }
    public IntArgument S { get; init; }
    public IntArgument Sh { get; init; }
    public IntArgument Sw { get; init; }
    public IntArgument D { get; init; }
    public IntArgument Dh { get; init; }
    public IntArgument Dw { get; init; }
    public IntArgument Groups { get; init; }
    public IntArgument InChannels { get; init; }
    public IntArgument OutChannels { get; init; }
    public IntArgument InH { get; init; }
    public IntArgument InW { get; init; }
    public bool Bias { get; init; } = true;

    /// <summary>False when the attribute turns Winograd off (<c>Winograd = false</c>).</summary>
    public bool AllowWinograd { get; init; } = true;

    /// <summary>Whether the Vector512 type exists in the consumer's framework (net8.0+).</summary>
    public bool HasVector512 { get; init; } = true;

    /// <summary>The geometry with defaults and shorthands applied. Only meaningful once validation found no error.</summary>
    public LayerGeometry Resolve() => new(
        InChannels: InChannels.Or(0),
        OutChannels: OutChannels.Or(0),
        KernelH: IntArgument.Resolve(Kh, K, 0),
        KernelW: IntArgument.Resolve(Kw, K, 0),
        StrideH: IntArgument.Resolve(Sh, S, 1),
        StrideW: IntArgument.Resolve(Sw, S, 1),
        PadH: IntArgument.Resolve(Ph, P, 0),
        PadW: IntArgument.Resolve(Pw, P, 0),
        DilationH: IntArgument.Resolve(Dh, D, 1),
        DilationW: IntArgument.Resolve(Dw, D, 1),
        Groups: Groups.Or(1),
        HasBias: Bias,
        InH: InH.Or(0),
        InW: InW.Or(0));
}
