using System.Linq;
using System.Text;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConvGen.Generator.Tests.Networks;

/// <summary>A network's generated code follows edits to its layer classes, even in another file.</summary>
public sealed class NetworkIncrementalTests
{
    private const string Network = """
        using ConvGen;

        namespace Demo
        {
            [Network(InChannels = 1, InH = 28, InW = 28)]
            public partial class LeNet
            {
                private readonly Conv1 conv1;
                private readonly Pool2 pool1;
                private readonly Flatten flatten;
                private readonly Fc3 fc3;
            }
        }
        """;

    private static string Layers(int outFeatures) => $$"""
        using ConvGen;

        namespace Demo
        {
            [ConvLayer(K = 5, P = 2, InChannels = 1, OutChannels = 6)] public partial class Conv1 { }
            [MaxPoolLayer(K = 2)] public partial class Pool2 { }
            [LinearLayer(InFeatures = 1176, OutFeatures = {{outFeatures}})] public partial class Fc3 { }
        }
        """;

    [Fact]
    public void Editing_a_layer_in_another_file_regenerates_the_network()
    {
        SyntaxTree layers = CSharpSyntaxTree.ParseText(Layers(10), GeneratorHarness.ParseOptions, path: "Layers.cs", encoding: Encoding.UTF8);
        SyntaxTree network = CSharpSyntaxTree.ParseText(Network, GeneratorHarness.ParseOptions, path: "Network.cs", encoding: Encoding.UTF8);
        CSharpCompilation compilation = CSharpCompilation.Create("Incremental", new[] { layers, network }, GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);

        driver = driver.RunGenerators(compilation);
        Assert.Contains("public const int OutputSize = 10;", NetworkSource(driver), System.StringComparison.Ordinal);

        SyntaxTree edited = layers.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Layers(12)));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(layers, edited));
        Assert.Contains("public const int OutputSize = 12;", NetworkSource(driver), System.StringComparison.Ordinal);
    }

    private static string NetworkSource(GeneratorDriver driver)
        => driver.GetRunResult().Results[0].GeneratedSources.Single(s => s.HintName.EndsWith(".Network.g.cs", System.StringComparison.Ordinal)).SourceText.ToString();
}
