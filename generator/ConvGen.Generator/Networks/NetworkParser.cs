using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Networks;

/// <summary>
/// Reads <c>[Network]</c>, <c>[MaxPoolLayer]</c>, <c>[AvgPoolLayer]</c> and <c>[LinearLayer]</c> classes into equatable
/// specs. A network's fields are read with the attribute of each field's type, so the network model carries
/// everything the chain check needs and no symbol survives the transform. Never throws.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkMetadataName = "ConvGen.NetworkAttribute";
    public const string MaxPoolMetadataName = "ConvGen.MaxPoolLayerAttribute";
    public const string AvgPoolMetadataName = "ConvGen.AvgPoolLayerAttribute";
    public const string LinearMetadataName = "ConvGen.LinearLayerAttribute";
    public const string ResidualMetadataName = "ConvGen.ResidualAttribute";
    private const string FlattenName = "ConvGen.Flatten";
    private const string GlobalAvgPoolName = "ConvGen.GlobalAvgPool";

    public static DeclaredType Declared(INamedTypeSymbol type) => new(
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
        type.Name,
        type.IsRecord ? "record" : "class",
        LayerSpecParser.IsPartial(type),
        type.TypeParameters.Length,
        type.IsStatic,
        type.IsAbstract,
        new EquatableArray<ContainingType>(LayerSpecParser.ContainingTypes(type)));

    public static NetworkSpec ParseNetwork(INamedTypeSymbol type, AttributeData attribute, bool hasVector512)
    {
        Dictionary<string, IntArgument> args = IntArguments(attribute, out bool wellFormed, out _, out _);
        var members = new List<NetworkMember>();
        foreach (IFieldSymbol field in LayerFields(type))
        {
            members.Add(ParseMember(field, hasVector512));
        }

        IntArgument Arg(string name) => args.TryGetValue(name, out IntArgument a) ? a : IntArgument.Unset;
        return new NetworkSpec(
            Declared(type),
            type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared),
            wellFormed,
            Arg("InChannels"), Arg("InL"), Arg("InD"), Arg("InH"), Arg("InW"),
            new EquatableArray<NetworkMember>(members.ToArray()));
    }

    /// <summary>
    /// The fields that are a network's layers: its instance fields as written, in declaration order. The analyzer
    /// sees the generated part too, whose own fields carry [GeneratedCode("ConvGen", ...)] and are not layers.
    /// </summary>
    public static IEnumerable<IFieldSymbol> LayerFields(INamedTypeSymbol type)
        => type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared && !IsOurs(f));

    private static bool IsOurs(IFieldSymbol field) => field.GetAttributes().Any(a =>
        a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
        && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is "ConvGen");

    private static NetworkMember ParseMember(IFieldSymbol field, bool hasVector512)
    {
        bool hasInitializer = field.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is VariableDeclaratorSyntax { Initializer: not null });
        ITypeSymbol fieldType = field.Type;
        string typeName = fieldType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string display = fieldType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        (string? from, int activation, float slope) = Residual(field);
        NetworkMember Member(MemberKind kind, LayerSpec? conv = null, PoolSpec? pool = null, LinearSpec? linear = null)
            => new(field.Name, typeName, display, kind, hasInitializer, conv, pool, linear, from, activation, slope);

        if (fieldType is not INamedTypeSymbol named || named.TypeKind != TypeKind.Class)
        {
            return Member(MemberKind.NotALayer);
        }

        string metadata = named.ToDisplayString();
        if (metadata == FlattenName)
        {
            return Member(MemberKind.Flatten);
        }

        if (metadata == GlobalAvgPoolName)
        {
            return Member(MemberKind.GlobalAvgPool);
        }

        foreach (AttributeData attribute in named.GetAttributes())
        {
            if (LayerSpecParser.Find(attribute.AttributeClass) is not null)
            {
                return Member(MemberKind.Convolution, conv: LayerSpecParser.Parse(named, attribute, hasVector512));
            }

            string? name = attribute.AttributeClass?.ToDisplayString();
            if (name == MaxPoolMetadataName || name == AvgPoolMetadataName)
            {
                PoolSpec pool = ParsePool(named, attribute);
                return Member(pool.IsMax ? MemberKind.MaxPool : MemberKind.AvgPool, pool: pool);
            }

            if (name == LinearMetadataName)
            {
                return Member(MemberKind.Linear, linear: ParseLinear(named, attribute));
            }
        }

        return Member(MemberKind.NotALayer);
    }

    /// <summary>The field's <c>[Residual(from)]</c> arguments; a null name without the attribute (or an unbound argument).</summary>
    private static (string? From, int Activation, float Slope) Residual(IFieldSymbol field)
    {
        foreach (AttributeData attribute in field.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != ResidualMetadataName)
            {
                continue;
            }

            string? from = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            Dictionary<string, IntArgument> args = IntArguments(attribute, out _, out _, out float? slope);
            return (from ?? "", args.TryGetValue("Activation", out IntArgument a) ? a.Value : 0, slope ?? 0.01f);
        }

        return (null, 0, 0.01f);
    }

    public static PoolSpec ParsePool(INamedTypeSymbol type, AttributeData attribute)
    {
        Dictionary<string, IntArgument> args = IntArguments(attribute, out bool wellFormed, out Dictionary<string, bool> flags, out _);
        IntArgument Arg(string name) => args.TryGetValue(name, out IntArgument a) ? a : IntArgument.Unset;
        bool isMax = attribute.AttributeClass?.ToDisplayString() == MaxPoolMetadataName;
        return new PoolSpec(Declared(type), isMax, Arg("K"), Arg("S"), Arg("P"),
            !flags.TryGetValue("CountIncludePad", out bool include) || include, wellFormed);
    }

    public static LinearSpec ParseLinear(INamedTypeSymbol type, AttributeData attribute)
    {
        Dictionary<string, IntArgument> args = IntArguments(attribute, out bool wellFormed, out Dictionary<string, bool> flags, out float? slope);
        IntArgument Arg(string name) => args.TryGetValue(name, out IntArgument a) ? a : IntArgument.Unset;
        return new LinearSpec(Declared(type), Arg("InFeatures"), Arg("OutFeatures"),
            !flags.TryGetValue("Bias", out bool bias) || bias, Arg("Activation").Or(0), slope ?? 0.01f, wellFormed);
    }

    /// <summary>The named int (and enum) arguments; bools and the one float separately. Unbound values mark it ill-formed.</summary>
    private static Dictionary<string, IntArgument> IntArguments(AttributeData attribute, out bool wellFormed,
        out Dictionary<string, bool> flags, out float? slope)
    {
        var args = new Dictionary<string, IntArgument>();
        flags = new Dictionary<string, bool>();
        slope = null;
        wellFormed = attribute.AttributeClass is { TypeKind: not TypeKind.Error } && attribute.ConstructorArguments.Length == 0;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            TypedConstant value = named.Value;
            if (value.Kind == TypedConstantKind.Error || value.IsNull)
            {
                wellFormed = false;
                continue;
            }

            switch (value.Value)
            {
                case int i:
                    args[named.Key] = new IntArgument(true, i);
                    break;
                case bool b:
                    flags[named.Key] = b;
                    break;
                case float f:
                    slope = f;
                    break;
                default:
                    wellFormed = false;
                    break;
            }
        }

        return args;
    }
}
