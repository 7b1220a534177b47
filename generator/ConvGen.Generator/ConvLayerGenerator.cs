using System.Text;
using ConvGen.Generator.Emitting;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using ConvGen.Generator.Planning;
using ConvGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator;

/// <summary>
/// Emits, for every class marked with a ConvGen layer attribute (<c>[ConvLayer(...)]</c>, <c>[Conv1dLayer(...)]</c>, ...)
/// an <c>IConvLayer</c> implementation with a kernel specialized to that geometry, or with the runtime's general kernel
/// where <see cref="EmitterSupport"/> says no specialized one is generated yet. Diagnostics come from <see cref="Diagnostics.ConvLayerAnalyzer"/>; the generator only
/// stays silent for layers the analyzer rejects.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ConvLayerGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Whether the consumer's framework has Vector512 (net8.0+). A record-struct bool, so a new compilation that
        // changes nothing relevant compares equal and the downstream steps stay cached.
        IncrementalValueProvider<bool> hasVector512 = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null)
            .WithTrackingName(TrackingNames.Facts);

        // One pipeline per layer attribute, each with the same steps and tracking names. They stay separate down to the
        // output (no Collect), so editing one layer never re-runs another's steps.
        foreach (LayerSpecParser.LayerAttribute attribute in LayerSpecParser.Attributes)
        {
            Register(context, attribute.MetadataName, hasVector512);
        }
    }

    private static void Register(IncrementalGeneratorInitializationContext context, string metadataName, IncrementalValueProvider<bool> hasVector512)
    {
        // The transform reads only the symbol and its attribute and returns primitives: nothing that pins a
        // Compilation survives past it.
        IncrementalValuesProvider<LayerSpec> specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                metadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length == 1
                    ? LayerSpecParser.Parse(type, ctx.Attributes[0], hasVector512: true)
                    : null)
            .WithTrackingName(TrackingNames.Extract)
            .Where(static s => s is not null)
            .Select(static (s, _) => s!)
            .WithTrackingName(TrackingNames.NotNull);

        IncrementalValuesProvider<KernelPlan> plans = specs
            .Combine(hasVector512)
            .Select(static (x, _) => x.Left with { HasVector512 = x.Right })
            .Where(static s => s.IsWellFormed && !LayerValidator.HasErrors(LayerValidator.Validate(s)))
            .Select(static (s, _) => KernelPlanner.Plan(s))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(plans, static (spc, plan) =>
            spc.AddSource(plan.HintName, SourceText.From(LayerEmitter.Emit(plan), Encoding.UTF8)));
    }
}
