using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConvGen.Generator.Tests.Incremental;

/// <summary>
/// The pipeline caches: an edit that does not change a layer's attribute must not re-run its planning or re-emit its
/// source, and nothing in the pipeline may hold on to compilations, symbols or syntax.
/// </summary>
public class IncrementalTests
{
    private const string TwoLayers = """
        namespace Demo;
        [ConvGen.ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 32)]
        public partial class Stem { }
        [ConvGen.ConvLayer(K = 1, InChannels = 32, OutChannels = 16)]
        public partial class Mix { }
        """;

    private static readonly string[] StepNames = { TrackingNames.Extract, TrackingNames.NotNull, TrackingNames.Plan };

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) First(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        return (run.Driver, run.InputCompilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, Compilation compilation)
        => driver.RunGenerators(compilation).GetRunResult().Results[0];

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static IncrementalStepRunReason[] OutputReasons(GeneratorRunResult result)
        => result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void Running_twice_on_the_same_compilation_caches_everything()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        GeneratorRunResult second = Rerun(driver, compilation);
        Assert.All(OutputReasons(second), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        foreach (string step in StepNames)
        {
            Assert.All(Reasons(second, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Cloned_compilation_gives_equal_cached_step_outputs()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        GeneratorRunResult first = driver.GetRunResult().Results[0];
        GeneratorRunResult second = Rerun(driver, compilation.Clone());
        foreach (string step in StepNames)
        {
            object[] before = first.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
            object[] after = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
            Assert.Equal(before, after);
            Assert.All(Reasons(second, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Unrelated_file_leaves_outputs_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int X; }", GeneratorHarness.ParseOptions));
        GeneratorRunResult result = Rerun(driver, edited);
        Assert.All(Reasons(result, TrackingNames.Plan), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Comment_inside_a_layer_class_leaves_its_output_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree commented = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(TwoLayers.Replace("public partial class Stem { }", "public partial class Stem { /* the first layer */ }")));
        GeneratorRunResult result = Rerun(driver, compilation.ReplaceSyntaxTree(tree, commented));
        Assert.All(Reasons(result, TrackingNames.Extract), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Changing_one_layer_reemits_only_that_layer()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string changed = TwoLayers.Replace("K = 3, P = 1, S = 2", "K = 5, P = 2, S = 2");
        GeneratorDriver after = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(changed))));
        GeneratorRunResult result = after.GetRunResult().Results[0];
        IncrementalStepRunReason[] outputs = OutputReasons(result);
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Cached));
        string stem = result.GeneratedSources.Single(s => s.HintName.Contains("Stem")).SourceText.ToString();
        Assert.Contains("kernel 5x5", stem);
    }

    [Fact]
    public void Adding_a_layer_adds_one_new_output()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First(TwoLayers);
        CSharpCompilation added = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Demo; [ConvGen.ConvLayer(K = 3, InChannels = 16, OutChannels = 16)] public partial class Third { }", GeneratorHarness.ParseOptions));
        GeneratorRunResult result = Rerun(driver, added);
        IncrementalStepRunReason[] outputs = OutputReasons(result);
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.New));
        Assert.Equal(2, outputs.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.Equal(3, result.GeneratedSources.Length);
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_or_compilations()
    {
        (GeneratorDriver driver, _) = First(TwoLayers);
        GeneratorRunResult result = driver.GetRunResult().Results[0];
        // Only ConvGen's own steps: Roslyn's internal attribute-discovery steps legitimately carry syntax trees.
        foreach (KeyValuePair<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> step in result.TrackedSteps.Where(s => StepNames.Contains(s.Key) || s.Key == TrackingNames.Facts))
        {
            foreach (IncrementalGeneratorRunStep run in step.Value)
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, step.Key, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string step, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 8)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree,
            $"step {step} holds a {value.GetType().Name}");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, step, seen, depth + 1);
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), step, seen, depth + 1);
        }
    }
}
