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
        var args = new AttributeArguments(attribute);
        var members = new List<NetworkMember>();
        foreach (IFieldSymbol field in LayerFields(type))
        {
            members.Add(ParseMember(field, hasVector512));
        }

        return new NetworkSpec(
            Declared(type),
            type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared),
            args.IsWellFormed,
            args.Int("InChannels"), args.Int("InL"), args.Int("InD"), args.Int("InH"), args.Int("InW"),
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
            var args = new AttributeArguments(attribute, constructorArguments: 1);
            return (from ?? "", args.Int("Activation").Or(0), args.Slope ?? 0.01f);
        }

        return (null, 0, 0.01f);
    }

    public static PoolSpec ParsePool(INamedTypeSymbol type, AttributeData attribute)
    {
        var args = new AttributeArguments(attribute);
        bool isMax = attribute.AttributeClass?.ToDisplayString() == MaxPoolMetadataName;
        return new PoolSpec(Declared(type), isMax, args.Int("K"), args.Int("S"), args.Int("P"), args.Flag("CountIncludePad", true), args.IsWellFormed);
    }

    public static LinearSpec ParseLinear(INamedTypeSymbol type, AttributeData attribute)
    {
        var args = new AttributeArguments(attribute);
        return new LinearSpec(Declared(type), args.Int("InFeatures"), args.Int("OutFeatures"), args.Flag("Bias", true),
            args.Int("Activation").Or(0), args.Slope ?? 0.01f, args.IsWellFormed);
    }
}
