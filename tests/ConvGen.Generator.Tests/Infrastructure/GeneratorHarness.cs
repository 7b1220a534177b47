using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using ConvGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ConvGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles test sources in memory against the framework and ConvGen.Runtime, runs <see cref="ConvLayerGenerator"/>
/// and <see cref="ConvLayerAnalyzer"/> on them, and exposes what came out.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithWarningLevel(9999);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>A compilation of <paramref name="source"/> (one file, "Layers.cs") before any generator has run.</summary>
    public static CSharpCompilation CreateCompilation(string source)
        => CSharpCompilation.Create(
            "ConvGenTestLayers",
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Layers.cs", encoding: Encoding.UTF8) },
            References,
            CompilationOptions);

    /// <summary>Runs the generator on <paramref name="source"/>, asserting that it did not throw.</summary>
    public static GeneratorRun Run(string source)
    {
        CSharpCompilation input = CreateCompilation(source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new ConvLayerGenerator().AsSourceGenerator(), new NetworkGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();

        Assert.Equal(2, result.Results.Length);
        foreach (GeneratorRunResult each in result.Results)
        {
            Assert.True(each.Exception is null, $"The generator threw on:\n{Numbered(source)}\n\n{each.Exception}");
        }
        Assert.True(generatorDiagnostics.IsEmpty,
            "The generator reported diagnostics (it should leave them to the analyzer):\n" + Format(generatorDiagnostics));

        var generated = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (GeneratedSourceResult file in result.Results.SelectMany(r => r.GeneratedSources))
        {
            generated.Add(file.HintName, file.SourceText.ToString());
        }

        return new GeneratorRun(source, input, output, driver, result, generated);
    }

    /// <summary>
    /// The analyzer's diagnostics for <paramref name="source"/>, run on the compilation the generator produced (as in a
    /// real build), suppressed ones included. Analyzer exceptions come back as AD0001 diagnostics.
    /// </summary>
    public static ImmutableArray<Diagnostic> GetAnalyzerDiagnostics(string source)
        => Run(source).GetAnalyzerDiagnostics();

    /// <summary>Every compiler diagnostic of the compilation including the generated sources, at the highest warning level.</summary>
    public static ImmutableArray<Diagnostic> CompileDiagnostics(string source) => Run(source).CompileDiagnostics();

    /// <summary>Runs <paramref name="analyzer"/> on <paramref name="compilation"/>, turning analyzer exceptions into AD0001 diagnostics.</summary>
    public static ImmutableArray<Diagnostic> GetAnalyzerDiagnostics(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        CompilationWithAnalyzers withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzers), options);
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    /// <summary><paramref name="text"/> with 1-based line numbers, for failure messages.</summary>
    public static string Numbered(string text)
    {
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        int width = lines.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            sb.Append((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)).Append(": ").Append(lines[i]).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>One line per diagnostic: id, severity, file(line,col), message.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
        => string.Join("\n", diagnostics.Select(d =>
        {
            FileLinePositionSpan span = d.Location.GetLineSpan();
            string where = d.Location.IsInSource
                ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})"
                : "(no location)";
            return $"  {d.Id} {d.Severity} {where}{(d.IsSuppressed ? " [suppressed]" : "")}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }));

    /// <summary>The repository root, found from this file's location.</summary>
    public static string RepoRoot([CallerFilePath] string thisFile = "")
    {
        for (DirectoryInfo? dir = new FileInfo(thisFile).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConvGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ConvGen.sln not found above " + thisFile);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            paths.Add(Path.GetFullPath(path));
        }

        paths.Add(Path.GetFullPath(typeof(ConvLayerAttribute).Assembly.Location));
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>The result of one generator run.</summary>
internal sealed class GeneratorRun
{
    public GeneratorRun(string source, CSharpCompilation input, Compilation output, GeneratorDriver driver,
        GeneratorDriverRunResult result, IReadOnlyDictionary<string, string> generatedSources)
    {
        Source = source;
        InputCompilation = input;
        OutputCompilation = output;
        Driver = driver;
        RunResult = result;
        GeneratedSources = generatedSources;
    }

    public string Source { get; }

    public CSharpCompilation InputCompilation { get; }

    /// <summary>The input compilation plus the generated sources.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>The driver after the run, for incremental re-runs.</summary>
    public GeneratorDriver Driver { get; }

    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> GeneratedSources { get; }

    public ImmutableArray<Diagnostic> CompileDiagnostics() => OutputCompilation.GetDiagnostics();

    public ImmutableArray<Diagnostic> GetAnalyzerDiagnostics()
        => GeneratorHarness.GetAnalyzerDiagnostics(OutputCompilation, new ConvLayerAnalyzer(), new NetworkAnalyzer());

    /// <summary>Asserts that the sources, generated ones included, compile without any error or warning.</summary>
    public void AssertCompilesCleanly()
    {
        Diagnostic[] problems = CompileDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (problems.Length == 0)
        {
            return;
        }

        var message = new StringBuilder("The output compilation has diagnostics:\n")
            .Append(GeneratorHarness.Format(problems)).Append("\n\nSource:\n").Append(GeneratorHarness.Numbered(Source));
        foreach (KeyValuePair<string, string> file in GeneratedSources)
        {
            message.Append("\n\nGenerated ").Append(file.Key).Append(":\n").Append(GeneratorHarness.Numbered(file.Value));
        }

        Assert.Fail(message.ToString());
    }
}

/// <summary>A diagnostic a test expects: its id and the span it must cover in the clean source.</summary>
internal readonly record struct ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test sources mark expected diagnostics inline: <c>{|CONV0007:S = 0|}</c> expects CONV0007 exactly on
/// <c>S = 0</c>. Markers may nest (<c>{|CONV0052:{|CONV0052:P = 4|}|}</c> expects the id twice on one span).
/// </summary>
internal static class DiagnosticMarkup
{
    public static (string Source, ImmutableArray<ExpectedDiagnostic> Expected) Parse(string markup)
    {
        var clean = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = ImmutableArray.CreateBuilder<ExpectedDiagnostic>();
        int i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                Assert.True(colon > i + 2, $"Markup at offset {i} has no 'ID:' after '{{|'.");
                string id = markup.Substring(i + 2, colon - i - 2);
                Assert.True(id.All(char.IsLetterOrDigit), $"Markup at offset {i} has an invalid id '{id}'.");
                open.Push((id, clean.Length));
                i = colon + 1;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                Assert.True(open.Count > 0, $"Markup at offset {i} closes '|}}' with nothing open.");
                (string id, int start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, clean.Length)));
                i += 2;
            }
            else
            {
                clean.Append(markup[i]);
                i++;
            }
        }

        Assert.True(open.Count == 0, $"{open.Count} markup span(s) left open.");
        return (clean.ToString(), expected.ToImmutable());
    }
}

/// <summary>Checks the analyzer's diagnostics against a marked-up source.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs the generator and analyzer on <paramref name="markup"/> and asserts that the ConvGen diagnostics are exactly
    /// the marked ones: same ids on the same spans, nothing extra. Ids not starting with CONV are ignored, and so is the
    /// Info-level CONV0080 unless the markup expects it. Analyzer exceptions (AD0001) always fail. Returns the ConvGen
    /// diagnostics so tests can check their messages.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(string markup)
    {
        (string source, ImmutableArray<ExpectedDiagnostic> expected) = DiagnosticMarkup.Parse(markup);
        ImmutableArray<Diagnostic> all = GeneratorHarness.GetAnalyzerDiagnostics(source);
        Diagnostic[] crashes = all.Where(d => d.Id == "AD0001").ToArray();
        Assert.True(crashes.Length == 0, "The analyzer threw:\n" + GeneratorHarness.Format(crashes));

        bool expectsFallback = expected.Any(e => e.Id == DiagnosticIds.GeneralKernelFallback);
        ImmutableArray<Diagnostic> actual = all
            .Where(d => d.Id.StartsWith("CONV", StringComparison.Ordinal))
            .Where(d => expectsFallback || d.Id != DiagnosticIds.GeneralKernelFallback)
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

        string[] want = expected.Select(e => Key(e.Id, e.Span, source)).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        string[] got = actual
            .Select(d => Key(d.Id, d.Location.IsInSource && d.Location.SourceTree?.FilePath == "Layers.cs" ? d.Location.SourceSpan : default, source))
            .OrderBy(s => s, StringComparer.Ordinal).ToArray();
        if (!want.SequenceEqual(got, StringComparer.Ordinal))
        {
            Assert.Fail("Diagnostics differ.\nExpected:\n  " + string.Join("\n  ", want)
                + "\nActual:\n  " + string.Join("\n  ", got)
                + "\nActual, in full:\n" + GeneratorHarness.Format(actual)
                + "\nSource:\n" + GeneratorHarness.Numbered(source));
        }

        return actual;
    }

    /// <summary>Asserts that the source gets no ConvGen error (warnings and Info are allowed); returns all ConvGen diagnostics.</summary>
    public static ImmutableArray<Diagnostic> NoErrors(string source)
    {
        ImmutableArray<Diagnostic> all = GeneratorHarness.GetAnalyzerDiagnostics(source);
        Diagnostic[] bad = all.Where(d => d.Id == "AD0001" || (d.Id.StartsWith("CONV", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error)).ToArray();
        Assert.True(bad.Length == 0, "Unexpected errors:\n" + GeneratorHarness.Format(bad) + "\nSource:\n" + GeneratorHarness.Numbered(source));
        return all.Where(d => d.Id.StartsWith("CONV", StringComparison.Ordinal)).ToImmutableArray();
    }

    /// <summary>The single diagnostic with <paramref name="id"/>'s message, asserting there is exactly one.</summary>
    public static string Message(ImmutableArray<Diagnostic> diagnostics, string id)
        => Assert.Single(diagnostics, d => d.Id == id).GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    private static string Key(string id, TextSpan span, string source)
    {
        string text = span.End <= source.Length ? source.Substring(span.Start, span.Length) : "?";
        return $"{id} at {span} '{text}'";
    }
}
