using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Networks;

/// <summary>What a network field holds.</summary>
internal enum MemberKind
{
    /// <summary>A class with a ConvGen convolution attribute ([ConvLayer], [Conv1dLayer], ...).</summary>
    Convolution,
    MaxPool,
    AvgPool,
    Linear,
    Flatten,
    GlobalAvgPool,

    /// <summary>Any other type: a [Network] class's instance fields are its layers, so this is an error.</summary>
    NotALayer,
}

/// <summary>One instance field of a network class, in declaration order, with the spec of the layer type it holds.</summary>
/// <param name="ResidualFrom">The field named by its <c>[Residual]</c> attribute; null without one.</param>
/// <param name="ResidualActivation">The <c>[Residual]</c> attribute's activation (after the add).</param>
/// <param name="ResidualSlope">The <c>[Residual]</c> attribute's LeakyReLU slope.</param>
internal sealed record NetworkMember(
    string FieldName,
    string TypeName,
    string TypeDisplay,
    MemberKind Kind,
    bool HasInitializer,
    LayerSpec? Convolution,
    PoolSpec? Pool,
    LinearSpec? Linear,
    string? ResidualFrom = null,
    int ResidualActivation = 0,
    float ResidualSlope = 0.01f);

/// <summary>A <c>[Network]</c> class: its declaration, the input shape arguments and its layer fields.</summary>
internal sealed record NetworkSpec(
    DeclaredType Type,
    bool HasInstanceConstructor,
    bool IsWellFormed,
    IntArgument InChannels,
    IntArgument InL,
    IntArgument InD,
    IntArgument InH,
    IntArgument InW,
    EquatableArray<NetworkMember> Members);
