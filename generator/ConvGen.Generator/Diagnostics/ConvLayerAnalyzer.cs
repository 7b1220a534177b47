using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ConvGen.Generator.Emitting;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using ConvGen.Generator.Planning;
using ConvGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generator.Diagnostics;

/// <summary>
/// Reports every problem <see cref="LayerValidator"/> finds in a class with a ConvGen layer attribute (all seven:
/// <see cref="LayerSpecParser.Attributes"/>), on the attribute argument
/// that causes it (or the class name), and tells when a valid layer falls back to the general kernel. The generator
/// runs the same parser and validator, so it emits code exactly for the layers this analyzer reports no error on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConvLayerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var attributeTypes = new List<INamedTypeSymbol>();
            foreach (LayerSpecParser.LayerAttribute attribute in LayerSpecParser.Attributes)
            {
                if (start.Compilation.GetTypeByMetadataName(attribute.MetadataName) is { } found)
                {
                    attributeTypes.Add(found);
                }
            }

            if (attributeTypes.Count == 0)
            {
                // ConvGen is not referenced: nothing can carry the attributes.
                return;
            }

            bool hasVector512 = start.Compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null;
            start.RegisterSymbolAction(
                symbolContext => AnalyzeType(symbolContext, attributeTypes, hasVector512),
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, List<INamedTypeSymbol> attributeTypes, bool hasVector512)
    {
        if (context.Symbol is not INamedTypeSymbol type)
        {
            return;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (!attributeTypes.Any(t => SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, t)))
            {
                continue;
            }

            AnalyzeAttribute(context, type, attribute, hasVector512);
        }
    }

    private static void AnalyzeAttribute(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, bool hasVector512)
    {
        CancellationToken ct = context.CancellationToken;
        LayerSpec spec = LayerSpecParser.Parse(type, attribute, hasVector512);
        if (!spec.IsWellFormed)
        {
            // The compiler reports what is wrong with the arguments; guessing at their values would only add noise.
            return;
        }

        AttributeSyntax? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        List<Problem> problems = LayerValidator.Validate(spec);
        ReportProblems(context, type, syntax, problems);

        if (LayerValidator.HasErrors(problems))
        {
            // The general-kernel note is about generated code, which unsupported geometries do not get yet.
            return;
        }

        KernelPlan plan = KernelPlanner.Plan(spec);
        if (!plan.IsSpecialized)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneralKernelFallback,
                syntax?.GetLocation() ?? FirstLocation(type),
                spec.ClassName, plan.FallbackReason));
        }
    }

    /// <summary>Reports each problem on the attribute argument it names (or the class name).</summary>
    internal static void ReportProblems(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeSyntax? syntax, IEnumerable<Problem> problems)
    {
        foreach (Problem problem in problems)
        {
            Location location = problem.Arguments.Any(a => a == Problem.OnClassName)
                ? ClassNameLocation(type, syntax, context.CancellationToken)
                : ArgumentLocation(problem.Arguments, syntax, type);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.Get(problem.Id), location, problem.MessageArgs.Cast<object>().ToArray()));
        }
    }

    /// <summary>The first written argument among <paramref name="candidates"/>, in candidate order; else the attribute.</summary>
    internal static Location ArgumentLocation(IEnumerable<string> candidates, AttributeSyntax? syntax, INamedTypeSymbol type)
    {
        if (syntax is null)
        {
            return FirstLocation(type);
        }

        if (syntax.ArgumentList is { } list)
        {
            foreach (string candidate in candidates)
            {
                foreach (AttributeArgumentSyntax argument in list.Arguments)
                {
                    if (argument.NameEquals is { } nameEquals && nameEquals.Name.Identifier.ValueText == candidate)
                    {
                        return argument.GetLocation();
                    }
                }
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>The identifier of the declaration that carries the attribute (a partial class may have several).</summary>
    internal static Location ClassNameLocation(INamedTypeSymbol type, AttributeSyntax? syntax, CancellationToken ct)
    {
        if (syntax?.Parent?.Parent is TypeDeclarationSyntax carrying)
        {
            return carrying.Identifier.GetLocation();
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(ct) is TypeDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return FirstLocation(type);
    }

    internal static Location FirstLocation(INamedTypeSymbol type)
        => type.Locations.Length > 0 ? type.Locations[0] : Location.None;
}
