using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Generator.Tests.Diagnostics;

/// <summary>Every diagnostic id has a descriptor, a release-tracking entry, a documentation page and a help link to it.</summary>
public sealed class DescriptorCatalogTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (string id in DeclaredIds())
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void Every_declared_id_has_exactly_one_descriptor()
    {
        string[] declared = DeclaredIds().OrderBy(x => x, StringComparer.Ordinal).ToArray();
        string[] described = DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, described);
        Assert.Equal(48, declared.Length);
    }

    [Fact]
    public void Analyzer_supports_every_descriptor()
    {
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => d.Id),
            new ConvLayerAnalyzer().SupportedDiagnostics.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_is_tracked_in_the_analyzer_release_files(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Get(id);
        string dir = Path.Combine(GeneratorHarness.RepoRoot(), "generator", "ConvGen.Generator");
        string[] rows = File.ReadAllLines(Path.Combine(dir, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(dir, "AnalyzerReleases.Unshipped.md")))
            .Where(line => line.StartsWith(id + " ", StringComparison.Ordinal) || line.StartsWith(id + "|", StringComparison.Ordinal))
            .ToArray();
        string row = Assert.Single(rows);
        string[] cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(id, cells[0]);
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_has_a_documentation_page_listed_in_the_index(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Get(id);
        string docs = Path.Combine(GeneratorHarness.RepoRoot(), "docs", "diagnostics");
        string page = Path.Combine(docs, id + ".md");
        Assert.True(File.Exists(page), $"Missing documentation page {page}");
        string text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ": ", text, StringComparison.Ordinal);
        Assert.Contains(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains(descriptor.DefaultSeverity.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(descriptor.Category, text, StringComparison.Ordinal);
        Assert.Contains("#pragma warning disable " + id, text, StringComparison.Ordinal);
        Assert.Contains("<NoWarn>", text, StringComparison.Ordinal);

        string index = File.ReadAllText(Path.Combine(docs, "README.md"));
        Assert.Contains($"[{id}]({id}.md)", index, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_the_documentation_page(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Get(id);
        Assert.EndsWith("/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.StartsWith("https://", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(descriptor.IsEnabledByDefault);
    }

    [Fact]
    public void Documentation_index_lists_no_unknown_ids()
    {
        string docs = Path.Combine(GeneratorHarness.RepoRoot(), "docs", "diagnostics");
        var known = new HashSet<string>(DeclaredIds(), StringComparer.Ordinal);
        string[] pages = Directory.GetFiles(docs, "CONV*.md").Select(p => Path.GetFileNameWithoutExtension(p)!).ToArray();
        Assert.All(pages, p => Assert.Contains(p, known));
    }

    private static IEnumerable<string> DeclaredIds()
        => typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
