using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using ConvGen.Generator.Networks;
using ConvGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConvGen.Generator.Diagnostics;

/// <summary>
/// Reports what <see cref="NetworkPlanner"/> finds in <c>[Network]</c> classes, each on the field whose layer breaks
/// the chain, and what <see cref="SimpleLayerValidator"/> finds in pooling and linear layer classes, on the argument.
/// The generator runs the same parser and planner, so it emits a network exactly when this reports no error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? network = start.Compilation.GetTypeByMetadataName(NetworkParser.NetworkMetadataName);
            if (network is null)
            {
                return;
            }

            INamedTypeSymbol?[] simple =
            {
                start.Compilation.GetTypeByMetadataName(NetworkParser.MaxPoolMetadataName),
                start.Compilation.GetTypeByMetadataName(NetworkParser.AvgPoolMetadataName),
                start.Compilation.GetTypeByMetadataName(NetworkParser.LinearMetadataName),
            };
            bool hasVector512 = start.Compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null;
            start.RegisterSymbolAction(c => Analyze(c, network, simple, hasVector512), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol network, INamedTypeSymbol?[] simple, bool hasVector512)
    {
        if (context.Symbol is not INamedTypeSymbol type)
        {
            return;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, network))
            {
                AnalyzeNetwork(context, type, attribute, hasVector512);
            }
            else if (simple.Any(s => s is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, s)))
            {
                List<Problem> problems = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, simple[2])
                    ? SimpleLayerValidator.Validate(NetworkParser.ParseLinear(type, attribute))
                    : SimpleLayerValidator.Validate(NetworkParser.ParsePool(type, attribute));
                ConvLayerAnalyzer.ReportProblems(context, type, attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax, problems);
            }
        }
    }

    private static void AnalyzeNetwork(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, bool hasVector512)
    {
        CancellationToken ct = context.CancellationToken;
        NetworkSpec spec = NetworkParser.ParseNetwork(type, attribute, hasVector512);
        if (!spec.IsWellFormed)
        {
            return;
        }

        NetworkPlan plan = NetworkPlanner.Plan(spec);
        AttributeSyntax? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        IFieldSymbol[] fields = NetworkParser.LayerFields(type).ToArray();
        foreach (NetworkProblem problem in plan.Problems)
        {
            Location location = problem.MemberIndex switch
            {
                NetworkProblem.OnClassName => ConvLayerAnalyzer.ClassNameLocation(type, syntax, ct),
                NetworkProblem.OnAttribute => syntax?.GetLocation() ?? ConvLayerAnalyzer.FirstLocation(type),
                int i when i < fields.Length && fields[i].Locations.Length > 0 => fields[i].Locations[0],
                _ => ConvLayerAnalyzer.FirstLocation(type),
            };
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.Get(problem.Id), location, problem.MessageArgs.Cast<object>().ToArray()));
        }
    }
}
