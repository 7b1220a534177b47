using System.Collections.Generic;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing;

/// <summary>
/// The named arguments of a ConvGen attribute as written: ints (enum arguments arrive as their underlying int),
/// bools and the one float (NegativeSlope). An argument that did not bind (half-typed code), or of another type,
/// makes them ill-formed: nothing is generated or checked for a guess.
/// </summary>
internal sealed class AttributeArguments
{
    private readonly Dictionary<string, IntArgument> _ints = new();
    private readonly Dictionary<string, bool> _flags = new();

    public AttributeArguments(AttributeData attribute, int constructorArguments = 0)
    {
        IsWellFormed = attribute.AttributeClass is { TypeKind: not TypeKind.Error } && attribute.ConstructorArguments.Length == constructorArguments;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            TypedConstant value = named.Value;
            if (value.Kind == TypedConstantKind.Error || value.IsNull)
            {
                IsWellFormed = false;
                continue;
            }

            switch (value.Value)
            {
                case int i:
                    _ints[named.Key] = new IntArgument(true, i);
                    break;
                case bool b:
                    _flags[named.Key] = b;
                    break;
                case float f:
                    Slope = f;
                    break;
                default:
                    IsWellFormed = false;
                    break;
            }
        }
    }

    public bool IsWellFormed { get; }

    /// <summary>The float argument (NegativeSlope), if written.</summary>
    public float? Slope { get; }

    public IntArgument Int(string name) => _ints.TryGetValue(name, out IntArgument a) ? a : IntArgument.Unset;

    public bool Flag(string name, bool fallback) => _flags.TryGetValue(name, out bool b) ? b : fallback;
}
