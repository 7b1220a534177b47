using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>
/// Code in the middle of being typed: neither the generator nor the analyzer may throw, and whatever the generator
/// emits still compiles.
/// </summary>
public sealed class HalfTypedCodeTests
{
    private const string Attribute = "[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]";

    [Theory]
    [InlineData("")]
    [InlineData(")]")]
    public void Every_prefix_of_the_attribute_is_handled(string closing)
    {
        var failures = new List<string>();
        for (int length = 0; length <= Attribute.Length; length++)
        {
            string source = "using ConvGen;\n\nnamespace App;\n\n" + Attribute.Substring(0, length) + closing + "\npublic partial class Stem { }\n";
            GeneratorRun run = GeneratorHarness.Run(source); // asserts that the generator did not throw

            ImmutableArray<Diagnostic> analyzer = run.GetAnalyzerDiagnostics();
            failures.AddRange(analyzer.Where(d => d.Id == "AD0001").Select(d => $"prefix {length}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));

            IEnumerable<Diagnostic> generatedErrors = run.CompileDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && tree.FilePath != "Layers.cs");
            failures.AddRange(generatedErrors.Select(d => $"prefix {length}: generated code does not compile: {d}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("[ConvLayer(K = )]")]
    [InlineData("[ConvLayer(K = 3, S = )]")]
    [InlineData("[ConvLayer(K = \"3\")]")]
    [InlineData("[ConvLayer(K = 3.5)]")]
    [InlineData("[ConvLayer(K = Size)]")]
    [InlineData("[ConvLayer(K = 3, S = int.MinValue, D = int.MinValue, P = int.MinValue)]")]
    [InlineData("[ConvLayer(3)]")]
    [InlineData("[ConvLayer(K: 3)]")]
    [InlineData("[ConvLayer(K = 3, K = 0)]")]
    [InlineData("[ConvLayer(K = 3, Bias = 1)]")]
    [InlineData("[ConvLayer(K = 3, Unknown = 1)]")]
    [InlineData("[ConvLayer(K = 3)][ConvLayer(K = 5)]")]
    [InlineData("[ConvLayer(K = 3, InChannels = 3, OutChannels = 32)] partial")]
    [InlineData("[ConvLayerAttribute(K = 3)]")]
    [InlineData("[ConvGen.ConvLayer(K = 3, Groups = 2, InChannels = 3, OutChannels = 4)]")]
    public void Malformed_attribute_is_handled(string attribute)
    {
        string source = "using ConvGen;\n\nnamespace App;\n\n" + attribute + "\npublic partial class Stem { }\n";
        GeneratorRun run = GeneratorHarness.Run(source);
        ImmutableArray<Diagnostic> analyzer = run.GetAnalyzerDiagnostics();
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
        Assert.DoesNotContain(run.CompileDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath != "Layers.cs");
    }

    /// <summary>
    /// Absurd but constant values: the analyzer must either reject the layer or the generated code must compile, and
    /// the generator must finish. The skipped cases are known gaps: nothing rejects sizes whose products overflow int.
    /// </summary>
    [Theory]
    [InlineData("K = 3, S = int.MinValue, D = int.MinValue, P = int.MinValue")]
    [InlineData("Kh = 65536, Kw = 1")]
    [InlineData("K = 1, P = 1073741824")]
    [InlineData("K = 46341")]
    [InlineData("K = 3, InChannels = 50000, OutChannels = 50000")]
    [InlineData("K = 1, P = 1073741824, InH = 1, InW = 1")]
    [InlineData("K = 3, P = 1, InH = 50000, InW = 50000")]
    public void Extreme_values_are_rejected_or_compile(string arguments)
    {
        GeneratorRun run = GeneratorHarness.Run(Sources.Layer(arguments));
        ImmutableArray<Diagnostic> analyzer = run.GetAnalyzerDiagnostics();
        Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
        if (analyzer.Any(d => d.Id.StartsWith("CONV", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error))
        {
            Assert.Empty(run.GeneratedSources);
        }
        else
        {
            Assert.Single(run.GeneratedSources);
            Diagnostic[] errors = run.CompileDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, GeneratorHarness.Format(errors));
        }
    }

    [Fact]
    public void Harness_reports_analyzer_exceptions_as_AD0001()
    {
        // Guards the checks above: an analyzer that throws must show up, not vanish.
        GeneratorRun run = GeneratorHarness.Run("namespace App; public partial class Stem { }");
        ImmutableArray<Diagnostic> d = GeneratorHarness.GetAnalyzerDiagnostics(run.OutputCompilation, new ThrowingAnalyzer());
        Assert.Contains(d, x => x.Id == "AD0001");
    }

    // A test double, not a shipped analyzer: the rules for analyzer projects (release tracking, extended rules) do not apply.
#pragma warning disable RS1036, RS2008
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0001", "t", "t", "t", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("boom"), SymbolKind.NamedType);
        }
    }
#pragma warning restore RS1036, RS2008
}
