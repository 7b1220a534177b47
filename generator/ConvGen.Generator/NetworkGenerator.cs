using System.Text;
using ConvGen.Generator.Networks;
using ConvGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator;

/// <summary>
/// Emits every <c>[Network]</c> class (its forward pass, constants, summary and weight loading) and every
/// <c>[MaxPoolLayer]</c>, <c>[AvgPoolLayer]</c> and <c>[LinearLayer]</c> class. Diagnostics come from
/// <see cref="Diagnostics.NetworkAnalyzer"/>, which runs the same planner; nothing is emitted where it finds an error.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The network's transform reads its fields' layer types too, and returns only equatable specs: an edit to a
        // layer attribute changes the spec and re-plans the network, anything else leaves the output cached.
        IncrementalValuesProvider<NetworkPlan> networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length == 1
                    ? NetworkParser.ParseNetwork(type, ctx.Attributes[0], hasVector512: true)
                    : null)
            .WithTrackingName(TrackingNames.Extract)
            .Where(static s => s is not null)
            .Select(static (s, _) => NetworkPlanner.Plan(s!))
            .WithTrackingName(TrackingNames.Plan)
            .Where(static p => p.CanEmit);
        context.RegisterSourceOutput(networks, static (spc, plan) =>
            spc.AddSource(NetworkEmitter.HintName(plan.Type), SourceText.From(NetworkEmitter.Emit(plan), Encoding.UTF8)));

        foreach (string pool in new[] { NetworkParser.MaxPoolMetadataName, NetworkParser.AvgPoolMetadataName })
        {
            IncrementalValuesProvider<PoolSpec> pools = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    pool,
                    predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                    transform: static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length == 1
                        ? NetworkParser.ParsePool(type, ctx.Attributes[0])
                        : null)
                .Where(static s => s is not null && s.IsWellFormed && !LayerValidator.HasErrors(SimpleLayerValidator.Validate(s)))
                .Select(static (s, _) => s!);
            context.RegisterSourceOutput(pools, static (spc, spec) =>
                spc.AddSource(SimpleLayerEmitter.HintName(spec.Type), SourceText.From(SimpleLayerEmitter.Emit(spec), Encoding.UTF8)));
        }

        IncrementalValuesProvider<LinearSpec> linears = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.LinearMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length == 1
                    ? NetworkParser.ParseLinear(type, ctx.Attributes[0])
                    : null)
            .Where(static s => s is not null && s.IsWellFormed && !LayerValidator.HasErrors(SimpleLayerValidator.Validate(s)))
            .Select(static (s, _) => s!);
        context.RegisterSourceOutput(linears, static (spc, spec) =>
            spc.AddSource(SimpleLayerEmitter.HintName(spec.Type), SourceText.From(SimpleLayerEmitter.Emit(spec), Encoding.UTF8)));
    }
}
