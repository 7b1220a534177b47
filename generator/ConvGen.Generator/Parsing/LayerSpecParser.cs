using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing;

/// <summary>
/// Reads a <c>[ConvLayer]</c> application into a <see cref="LayerSpec"/>. Shared by the generator's transform and the
/// analyzer so both see the same arguments. Never throws: an argument that did not bind (half-typed code) marks the
/// spec ill-formed instead.
/// </summary>
internal static class LayerSpecParser
{
    public const string AttributeMetadataName = "ConvGen.ConvLayerAttribute";

    public static LayerSpec Parse(INamedTypeSymbol type, AttributeData attribute, bool hasVector512)
    {
        var args = new Dictionary<string, IntArgument>();
        bool bias = true, winograd = true;
        bool wellFormed = attribute.AttributeClass is { TypeKind: not TypeKind.Error } && attribute.ConstructorArguments.Length == 0;
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
                case bool b when named.Key == "Bias":
                    bias = b;
                    break;
                case bool b when named.Key == "Winograd":
                    winograd = b;
                    break;
                default:
                    wellFormed = false;
                    break;
            }
        }

        IntArgument Arg(string name) => args.TryGetValue(name, out IntArgument a) ? a : IntArgument.Unset;

        return new LayerSpec
        {
            Namespace = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ClassName = type.Name,
            IsPartial = IsPartial(type),
            TypeParameterCount = type.TypeParameters.Length,
            Keyword = type.IsRecord ? "record" : "class",
            IsStatic = type.IsStatic,
            IsAbstract = type.IsAbstract,
            ContainingTypes = new EquatableArray<ContainingType>(ContainingTypes(type)),
            IsWellFormed = wellFormed,
            K = Arg("K"), Kh = Arg("Kh"), Kw = Arg("Kw"),
            P = Arg("P"), Ph = Arg("Ph"), Pw = Arg("Pw"),
            S = Arg("S"), Sh = Arg("Sh"), Sw = Arg("Sw"),
            D = Arg("D"), Dh = Arg("Dh"), Dw = Arg("Dw"),
            Groups = Arg("Groups"),
            InChannels = Arg("InChannels"), OutChannels = Arg("OutChannels"),
            InH = Arg("InH"), InW = Arg("InW"),
            Bias = bias,
            AllowWinograd = winograd,
            HasVector512 = hasVector512,
        };
    }

    private static ContainingType[] ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            chain.Add(new ContainingType(Keyword(outer), NameWithTypeParameters(outer), IsPartial(outer)));
        }

        chain.Reverse();
        return chain.ToArray();
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string NameWithTypeParameters(INamedTypeSymbol type)
        => type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";

    private static bool IsPartial(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Length > 0
           && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
}
