using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.Sources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>Valid layers get no diagnostics; written-but-invalid arguments differ from omitted ones; suppression works.</summary>
public sealed class ValidConfigurationTests
{
    [Theory]
    [InlineData(FlagshipArguments)]
    [InlineData("K = 3, P = 1, S = 1, InChannels = 16, OutChannels = 16")]
    [InlineData("K = 3, P = 1, S = 2")]
    [InlineData("K = 1")]
    [InlineData("K = 3, S = 1, D = 1, Groups = 1, P = 0")]
    [InlineData("Kh = 1, Kw = 7, Ph = 0, Pw = 3")]
    [InlineData("K = 3, P = 2, D = 2, InChannels = 8, OutChannels = 8")]
    [InlineData("K = 3, P = 1, Groups = 8, InChannels = 8, OutChannels = 8, Bias = false")]
    [InlineData("K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32, InH = 224, InW = 224")]
    [InlineData("K = 7, P = 3, S = 2, InChannels = 3, OutChannels = 64, InH = 224, InW = 224")]
    public void Valid_layer_reports_nothing(string arguments)
    {
        DiagnosticAssert.Verify(Layer(arguments));
    }

    [Fact]
    public void Minimal_form_is_valid_and_generates_a_layer()
    {
        string source = Layer("K = 3, P = 1, S = 2");
        DiagnosticAssert.Verify(source);
        Assert.Single(GeneratorHarness.Run(source).GeneratedSources);
    }

    [Fact]
    public void Padding_larger_than_the_kernel_is_only_a_warning()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.NoErrors(Layer("K = 3, P = 4, InChannels = 3, OutChannels = 8"));
        Assert.NotEmpty(d);
        Assert.All(d, x => Assert.Equal(DiagnosticIds.PaddingOnlyOutputs, x.Id));
        Assert.All(d, x => Assert.Equal(DiagnosticSeverity.Warning, x.Severity));
        Assert.Single(GeneratorHarness.Run(Layer("K = 3, P = 4, InChannels = 3, OutChannels = 8")).GeneratedSources);
    }

    [Fact]
    public void Input_smaller_than_the_kernel_but_fitting_once_padded_is_not_an_error()
    {
        ImmutableArray<Diagnostic> d = DiagnosticAssert.NoErrors(Layer("K = 5, P = 2, InH = 2, InW = 4, InChannels = 1, OutChannels = 1"));
        Assert.Empty(d);
    }

    [Theory]
    [InlineData("S = 0", DiagnosticIds.StrideInvalid)]
    [InlineData("Sh = 0", DiagnosticIds.StrideInvalid)]
    [InlineData("Sw = 0", DiagnosticIds.StrideInvalid)]
    [InlineData("D = 0", DiagnosticIds.DilationInvalid)]
    [InlineData("Dh = 0", DiagnosticIds.DilationInvalid)]
    [InlineData("Dw = 0", DiagnosticIds.DilationInvalid)]
    [InlineData("Groups = 0", DiagnosticIds.GroupsInvalid)]
    public void Explicitly_written_zero_is_an_error_while_omitting_it_is_fine(string argument, string id)
    {
        DiagnosticAssert.Verify(Layer($"K = 3, P = 1, {{|{id}:{argument}|}}, InChannels = 4, OutChannels = 4"));
        DiagnosticAssert.Verify(Layer("K = 3, P = 1, InChannels = 4, OutChannels = 4"));
    }

    [Fact]
    public void Explicitly_written_defaults_are_fine()
    {
        DiagnosticAssert.Verify(Layer("K = 3, P = 0, S = 1, Sh = 1, Sw = 1, D = 1, Dh = 1, Dw = 1, Groups = 1, Bias = true"));
    }

    [Fact]
    public void Pragma_suppresses_an_error()
    {
        string source = """
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            #pragma warning disable CONV0007
            [ConvLayer(K = 3, P = 1, S = 0)]
            #pragma warning restore CONV0007
            public partial class Stem
            {
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic stride = Assert.Single(run.GetAnalyzerDiagnostics(), d => d.Id.StartsWith("CONV", System.StringComparison.Ordinal));
        Assert.Equal(DiagnosticIds.StrideInvalid, stride.Id);
        Assert.True(stride.IsSuppressed);

        // Silencing the error does not make the layer valid: nothing is generated for it.
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Pragma_for_another_id_does_not_suppress()
    {
        string source = """
            using ConvGen;

            namespace App;

            /// <summary>A layer.</summary>
            #pragma warning disable CONV0008
            [ConvLayer(K = 3, P = 1, S = 0)]
            #pragma warning restore CONV0008
            public partial class Stem
            {
            }
            """;
        Diagnostic stride = Assert.Single(GeneratorHarness.GetAnalyzerDiagnostics(source), d => d.Id.StartsWith("CONV", System.StringComparison.Ordinal));
        Assert.False(stride.IsSuppressed);
    }

    [Fact]
    public void NoWarn_silences_the_diagnostic()
    {
        CSharpCompilation baseline = GeneratorHarness.CreateCompilation(Layer("K = 3, P = 4"));
        CSharpCompilation silenced = baseline.WithOptions(baseline.Options.WithSpecificDiagnosticOptions(
            ImmutableDictionary<string, ReportDiagnostic>.Empty.Add(DiagnosticIds.PaddingOnlyOutputs, ReportDiagnostic.Suppress)));

        Assert.Contains(GeneratorHarness.GetAnalyzerDiagnostics(baseline, new ConvLayerAnalyzer()),
            d => d.Id == DiagnosticIds.PaddingOnlyOutputs && !d.IsSuppressed);
        Assert.DoesNotContain(GeneratorHarness.GetAnalyzerDiagnostics(silenced, new ConvLayerAnalyzer()),
            d => d.Id == DiagnosticIds.PaddingOnlyOutputs && !d.IsSuppressed);
    }

    [Fact]
    public void Source_without_a_ConvGen_reference_is_ignored()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NoConvGen",
            new[] { CSharpSyntaxTree.ParseText("namespace App; public partial class Stem { }", GeneratorHarness.ParseOptions) },
            GeneratorHarness.References.Where(r => !(r.Display ?? "").EndsWith("ConvGen.Runtime.dll", System.StringComparison.Ordinal)),
            GeneratorHarness.CompilationOptions);
        Assert.Empty(GeneratorHarness.GetAnalyzerDiagnostics(compilation, new ConvLayerAnalyzer()));
    }
}
