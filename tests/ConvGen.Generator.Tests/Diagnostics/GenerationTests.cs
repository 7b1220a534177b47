using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static ConvGen.Generator.Tests.Diagnostics.Sources;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>
/// The generator emits code exactly for the layers the analyzer accepts, and what it emits compiles with no error and
/// no warning in every place a layer class can be declared.
/// </summary>
public sealed class GenerationTests
{
    [Fact]
    public void Layer_with_an_error_generates_nothing()
    {
        GeneratorRun run = GeneratorHarness.Run(Layer("K = 3, P = 1, S = 0, InChannels = 3, OutChannels = 32"));
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void Valid_layer_generates_exactly_one_source()
    {
        GeneratorRun run = GeneratorHarness.Run(Layer(FlagshipArguments));
        KeyValuePair<string, string> file = Assert.Single(run.GeneratedSources);
        Assert.Equal("App.Stem.ConvLayer.g.cs", file.Key);
        Assert.Contains("partial class Stem : global::ConvGen.IConvLayer", file.Value, StringComparison.Ordinal);
    }

    /// <summary>Attribute arguments across every diagnostic, with and without errors.</summary>
    public static TheoryData<string> Configurations() => new()
    {
        FlagshipArguments,
        "K = 3, P = 1, S = 2",
        "K = 0",
        "K = 3, Kw = 5",
        "Kh = 3",
        "K = 3, S = 0",
        "K = 3, D = 0",
        "K = 3, P = -1",
        "K = 3, Groups = 0, InChannels = 4, OutChannels = 4",
        "K = 3, Groups = 3, InChannels = 8, OutChannels = 9",
        "K = 3, InChannels = 0, OutChannels = 4",
        "K = 3, InChannels = 3",
        "K = 3, InH = 0",
        "K = 5, InH = 2, InW = 8, InChannels = 1, OutChannels = 1",
        "K = 3, P = 1, S = 4, InH = 8, InChannels = 3, OutChannels = 8",
        "K = 3, P = 4, InChannels = 3, OutChannels = 8",
        "K = 2, P = 1, InChannels = 4, OutChannels = 4",
        "K = 9, P = 4, InChannels = 3, OutChannels = 8",
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Generator_emits_exactly_when_the_analyzer_reports_no_error(string arguments)
    {
        GeneratorRun run = GeneratorHarness.Run(Layer(arguments));
        bool hasError = run.GetAnalyzerDiagnostics().Any(d => d.Id.StartsWith("CONV", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(hasError ? 0 : 1, run.GeneratedSources.Count);
    }

    public static TheoryData<string, string> CleanSources() => new()
    {
        { "flagship", Layer(FlagshipArguments) },
        { "minimal", Layer("K = 3, P = 1, S = 2") },
        { "stride 1", Layer("K = 3, P = 1, S = 1, InChannels = 16, OutChannels = 16") },
        { "no bias", Layer(FlagshipArguments + ", Bias = false") },
        { "static size", Layer(FlagshipArguments + ", InH = 224, InW = 224") },
        { "static height only", Layer("K = 3, P = 1, InChannels = 5, OutChannels = 17, InH = 13") },
        { "static width only", Layer("K = 3, P = 1, S = 2, InW = 21") },
        { "dynamic channels", Layer("K = 3, P = 1, S = 2, InH = 32, InW = 32") },
        { "dynamic channels, no bias", Layer("K = 5, P = 2, Bias = false") },
        { "depthwise", Layer("K = 3, P = 1, Groups = 32, InChannels = 32, OutChannels = 32") },
        { "grouped, remainder tile", Layer("K = 3, P = 1, Groups = 2, InChannels = 4, OutChannels = 22") },
        { "pointwise", Layer("K = 1, InChannels = 64, OutChannels = 128") },
        { "dilated", Layer("K = 3, P = 2, D = 2, InChannels = 8, OutChannels = 8") },
        { "rectangular", Layer("Kh = 1, Kw = 7, Ph = 0, Pw = 3, Sh = 1, Sw = 2, InChannels = 4, OutChannels = 12") },
        { "even kernel warning", Layer("K = 2, S = 2, InChannels = 3, OutChannels = 8") },
        { "padding-only outputs", Layer("K = 3, P = 4, InChannels = 3, OutChannels = 8") },
        { "general kernel", Layer("K = 9, P = 4, InChannels = 3, OutChannels = 8") },
        { "general kernel, dynamic", Layer("Kh = 1, Kw = 65") },
        {
            "global namespace",
            """
            using ConvGen;

            /// <summary>A layer.</summary>
            [ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]
            public partial class Stem
            {
            }
            """
        },
        {
            "nested in a partial class",
            """
            using ConvGen;

            namespace App.Models;

            /// <summary>A model.</summary>
            public partial class Model
            {
                /// <summary>A layer.</summary>
                [ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]
                public partial class Stem
                {
                }
            }
            """
        },
        {
            "nested in a generic partial class",
            """
            using ConvGen;

            namespace App;

            /// <summary>A model.</summary>
            /// <typeparam name="TInput">Unused.</typeparam>
            /// <typeparam name="TOutput">Unused.</typeparam>
            public partial class Model<TInput, TOutput>
            {
                /// <summary>A layer.</summary>
                [ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]
                public partial class Stem
                {
                }
            }
            """
        },
        {
            "nested twice, struct and record",
            """
            using ConvGen;

            namespace App;

            /// <summary>A model.</summary>
            public partial record Model
            {
                /// <summary>A block.</summary>
                public partial struct Block
                {
                    /// <summary>A layer.</summary>
                    [ConvLayer(K = 3, P = 1, InChannels = 8, OutChannels = 8)]
                    internal sealed partial class Stem
                    {
                    }
                }
            }
            """
        },
        {
            "two layers with the same name in different types",
            """
            using ConvGen;

            namespace App;

            /// <summary>A.</summary>
            public partial class A
            {
                /// <summary>A layer.</summary>
                [ConvLayer(K = 3, P = 1, InChannels = 3, OutChannels = 8)]
                public partial class Stem
                {
                }
            }

            /// <summary>B.</summary>
            public partial class B
            {
                /// <summary>A layer.</summary>
                [ConvLayer(K = 3, P = 1, S = 2)]
                public partial class Stem
                {
                }
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(CleanSources))]
    public void Valid_layer_compiles_without_errors_or_warnings(string name, string source)
    {
        Assert.NotNull(name);
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.NotEmpty(run.GeneratedSources);
        run.AssertCompilesCleanly();
        ImmutableArray<Diagnostic> errors = run.GetAnalyzerDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "AD0001").ToImmutableArray();
        Assert.True(errors.IsEmpty, GeneratorHarness.Format(errors));
    }
}
