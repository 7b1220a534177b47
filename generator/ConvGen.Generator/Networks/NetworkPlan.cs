using System.Globalization;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Validation;

namespace ConvGen.Generator.Networks;

/// <summary>
/// The activations of one sample between two layers. Spatial axes a tensor does not have are 1 (as in the runtime's
/// TensorShape); <see cref="Flat"/> marks features after a flatten or linear layer, which run as (N, F, length 1).
/// </summary>
internal readonly record struct Activations(int Dimensions, bool Flat, int C, int D, int H, int W)
{
    public long Size => (long)C * D * H * W;

    /// <summary>PyTorch's per-sample shape without the batch: "[6, 28, 28]", "[400]".</summary>
    public string Text => Flat ? $"[{N(C)}]" : Dimensions switch
    {
        1 => $"[{N(C)}, {N(W)}]",
        3 => $"[{N(C)}, {N(D)}, {N(H)}, {N(W)}]",
        _ => $"[{N(C)}, {N(H)}, {N(W)}]",
    };

    /// <summary>The runtime shape for a batch held in <paramref name="batch"/>.</summary>
    public string Literal(string batch) => Flat ? $"new global::ConvGen.TensorShape({batch}, {N(C)}, 1)" : Dimensions switch
    {
        1 => $"new global::ConvGen.TensorShape({batch}, {N(C)}, {N(W)})",
        3 => $"new global::ConvGen.TensorShape({batch}, {N(C)}, {N(D)}, {N(H)}, {N(W)})",
        _ => $"new global::ConvGen.TensorShape({batch}, {N(C)}, {N(H)}, {N(W)})",
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Where a step writes: the caller's output span, a range of the scratch arena, or nowhere (a view of its input).</summary>
internal enum StepTarget
{
    Arena,
    Output,
    View,
}

/// <summary>One layer of a planned network: what it computes, its shapes and counts, and where its output lives.</summary>
/// <param name="ResidualSource">The step whose output a <c>[Residual]</c> adds to this one's; -1 for none.</param>
internal sealed record NetworkStep(
    string FieldName,
    string TypeName,
    string TypeDisplay,
    MemberKind Kind,
    string Computes,
    Activations In,
    Activations Out,
    long Parameters,
    long MultiplyAccumulates,
    string ReceptiveField,
    StepTarget Target,
    long ArenaOffset,
    bool HasInitializer,
    int ResidualSource = -1,
    int ResidualActivation = 0,
    float ResidualSlope = 0.01f);

/// <summary>A network problem: the diagnostic, the field it belongs to (-1: the attribute; -2: the class name), the message.</summary>
internal sealed record NetworkProblem(string Id, int MemberIndex, EquatableArray<string> MessageArgs)
{
    public const int OnAttribute = -1;
    public const int OnClassName = -2;
}

/// <summary>
/// A network followed through every layer: the checks' findings, and for a network without errors everything the
/// emitter writes. Equatable, so an edit that changes nothing here does not regenerate the network.
/// </summary>
internal sealed record NetworkPlan
{
    public DeclaredType Type { get; init; } = null!;

    /// <summary>False when an error was found or a layer's own attribute has errors: nothing is generated.</summary>
    public bool CanEmit { get; init; }

    public EquatableArray<NetworkProblem> Problems { get; init; } = EquatableArray<NetworkProblem>.Empty;

    public bool GeneratesConstructor { get; init; }

    public Activations Input { get; init; }

    public Activations Output { get; init; }

    public EquatableArray<NetworkStep> Steps { get; init; } = EquatableArray<NetworkStep>.Empty;

    public long ParameterCount { get; init; }

    public long MultiplyAccumulates { get; init; }

    /// <summary>The receptive field on the depth, height and width axes (1 on axes the input does not have).</summary>
    public long ReceptiveFieldD { get; init; }

    public long ReceptiveFieldH { get; init; }

    public long ReceptiveFieldW { get; init; }

    /// <summary>The last layer the receptive field counts: after a global pool, flatten or linear layer every output sees the whole input.</summary>
    public string ReceptiveFieldThrough { get; init; } = "";

    /// <summary>Floats per sample of the scratch arena the plan uses.</summary>
    public long ScratchSize { get; init; }

    /// <summary>Floats per sample two fixed ping-pong buffers would need, for comparison.</summary>
    public long PingPongSize { get; init; }

    /// <summary>The most floats per sample alive at once (one layer's input plus its output), and the layer.</summary>
    public long PeakActivationSize { get; init; }

    public string PeakLayer { get; init; } = "";
}
