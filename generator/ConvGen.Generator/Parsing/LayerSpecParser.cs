using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing;

/// <summary>
/// Reads a ConvGen layer attribute (any of <see cref="Attributes"/>) into a <see cref="LayerSpec"/>. Shared by the generator's transform and the
/// analyzer so both see the same arguments. Never throws: an argument that did not bind (half-typed code) marks the
/// spec ill-formed instead.
/// </summary>
internal static class LayerSpecParser
{
    public const string AttributeMetadataName = "ConvGen.ConvLayerAttribute";
    public const string Conv1dMetadataName = "ConvGen.Conv1dLayerAttribute";
    public const string Conv3dMetadataName = "ConvGen.Conv3dLayerAttribute";
    public const string TransposeMetadataName = "ConvGen.ConvTransposeLayerAttribute";
    public const string Transpose1dMetadataName = "ConvGen.ConvTranspose1dLayerAttribute";
    public const string Transpose3dMetadataName = "ConvGen.ConvTranspose3dLayerAttribute";
    public const string SeparableMetadataName = "ConvGen.SeparableConvLayerAttribute";

    /// <summary>One ConvGen layer attribute: its metadata name, what it declares, and its name as written in source.</summary>
    internal readonly record struct LayerAttribute(string MetadataName, LayerKind Kind, int Dimensions, string Name);

    /// <summary>Every layer attribute, [ConvLayer] first.</summary>
    public static readonly LayerAttribute[] Attributes =
    {
        new(AttributeMetadataName, LayerKind.Convolution, 2, "ConvLayer"),
        new(Conv1dMetadataName, LayerKind.Convolution, 1, "Conv1dLayer"),
        new(Conv3dMetadataName, LayerKind.Convolution, 3, "Conv3dLayer"),
        new(TransposeMetadataName, LayerKind.Transposed, 2, "ConvTransposeLayer"),
        new(Transpose1dMetadataName, LayerKind.Transposed, 1, "ConvTranspose1dLayer"),
        new(Transpose3dMetadataName, LayerKind.Transposed, 3, "ConvTranspose3dLayer"),
        new(SeparableMetadataName, LayerKind.Separable, 2, "SeparableConvLayer"),
    };

    /// <summary>The layer attribute <paramref name="attributeClass"/> is, if any.</summary>
    public static LayerAttribute? Find(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null || attributeClass.ContainingNamespace is not { } ns || ns.ToDisplayString() != "ConvGen")
        {
            return null;
        }

        string name = "ConvGen." + attributeClass.MetadataName;
        foreach (LayerAttribute known in Attributes)
        {
            if (known.MetadataName == name)
            {
                return known;
            }
        }

        return null;
    }

    public static LayerSpec Parse(INamedTypeSymbol type, AttributeData attribute, bool hasVector512)
    {
        LayerAttribute which = Find(attribute.AttributeClass) ?? Attributes[0];
        var args = new AttributeArguments(attribute);
        bool wellFormed = args.IsWellFormed;
        IntArgument Arg(string name) => args.Int(name);

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
            Kind = which.Kind,
            Dimensions = which.Dimensions,
            AttributeName = which.Name,
            OtherAttributes = new EquatableArray<string>(OtherAttributes(type, which)),
            K = Arg("K"), Kd = Arg("Kd"), Kh = Arg("Kh"), Kw = Arg("Kw"),
            P = Arg("P"), Pd = Arg("Pd"), Ph = Arg("Ph"), Pw = Arg("Pw"),
            PadFront = Arg("PadFront"), PadBack = Arg("PadBack"), PadTop = Arg("PadTop"), PadBottom = Arg("PadBottom"),
            PadLeft = Arg("PadLeft"), PadRight = Arg("PadRight"),
            S = Arg("S"), Sd = Arg("Sd"), Sh = Arg("Sh"), Sw = Arg("Sw"),
            D = Arg("D"), Dd = Arg("Dd"), Dh = Arg("Dh"), Dw = Arg("Dw"),
            OutputPadding = Arg("OutputPadding"), OutputPaddingD = Arg("OutputPaddingD"),
            OutputPaddingH = Arg("OutputPaddingH"), OutputPaddingW = Arg("OutputPaddingW"),
            Groups = Arg("Groups"),
            DepthMultiplier = Arg("DepthMultiplier"),
            InChannels = Arg("InChannels"), OutChannels = Arg("OutChannels"),
            InD = Arg("InD"), InH = Arg("InH"), InW = Arg("InW"), InL = Arg("InL"),
            Bias = args.Flag("Bias", true),
            Padding = Arg("Padding").Or(0),
            PaddingMode = Arg("PaddingMode").Or(0),
            Activation = Arg("Activation").Or(0),
            NegativeSlope = args.Slope ?? 0.01f,
            NegativeSlopeIsSet = args.Slope.HasValue,
            AllowWinograd = args.Flag("Winograd", true),
            HasVector512 = hasVector512,
        };
    }

    /// <summary>The names of the other ConvGen layer attributes on <paramref name="type"/>, in declaration order.</summary>
    private static string[] OtherAttributes(INamedTypeSymbol type, LayerAttribute which)
    {
        var others = new List<string>();
        foreach (AttributeData other in type.GetAttributes())
        {
            if (Find(other.AttributeClass) is { } found && found.MetadataName != which.MetadataName && !others.Contains(found.Name))
            {
                others.Add(found.Name);
            }
        }

        return others.ToArray();
    }

    internal static ContainingType[] ContainingTypes(INamedTypeSymbol type)
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

    internal static bool IsPartial(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Length > 0
           && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
}
