using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Generator.Tests.Emission;

/// <summary>
/// Which algorithm a layer gets is decided at build time and stated in the generated header: Winograd F(4x4,3x3)
/// for 3x3 stride-1 layers with enough channels and a static size, the direct kernel (with the reason) otherwise.
/// </summary>
public class AlgorithmChoiceTests
{
    private static string Header(string attribute)
    {
        GeneratorRun run = GeneratorHarness.Run($"namespace Demo; [ConvGen.ConvLayer({attribute})] public partial class L {{ }}");
        run.AssertCompilesCleanly();
        string file = Assert.Single(run.GeneratedSources).Value;
        return string.Join("\n", file.Split('\n').TakeWhile(line => line.StartsWith("//", System.StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("K = 3, P = 1, InChannels = 16, OutChannels = 16, InH = 8, InW = 8")]
    [InlineData("K = 3, InChannels = 64, OutChannels = 128, InH = 30, InW = 30")]
    [InlineData("K = 3, P = 2, InChannels = 256, OutChannels = 40, InH = 3, InW = 50")]
    public void Layers_that_pay_for_the_transforms_run_Winograd(string attribute)
    {
        string header = Header(attribute);
        Assert.Contains("Kernel    Winograd F(4x4,3x3)", header);
        Assert.Contains("weights transformed once", header);
        Assert.Contains("scalar: direct kernel", header);
    }

    public static IEnumerable<object[]> DirectLayers() => new[]
    {
        new object[] { "K = 3, P = 1, InChannels = 8, OutChannels = 64, InH = 28, InW = 28", "8 -> 64 channels, below the 16" },
        new object[] { "K = 3, P = 1, InChannels = 64, OutChannels = 15, InH = 28, InW = 28", "64 -> 15 channels, below the 16" },
        new object[] { "K = 3, P = 1, InChannels = 64, OutChannels = 64", "static channels and input size" },
        new object[] { "K = 3, P = 1, InChannels = 64, OutChannels = 64, InW = 28", "static channels and input size" },
        new object[] { "K = 3, P = 1, Groups = 2, InChannels = 64, OutChannels = 64, InH = 28, InW = 28", "grouped layers" },
        new object[] { "K = 3, InChannels = 64, OutChannels = 64, InH = 5, InW = 28", "output is smaller than one 4x4 tile" },
        new object[] { "K = 3, P = 1, InChannels = 64, OutChannels = 64, InH = 28, InW = 28, Winograd = false", "turned off by Winograd = false" },
    };

    [Theory]
    [MemberData(nameof(DirectLayers))]
    public void Other_3x3_stride1_layers_stay_direct_and_say_why(string attribute, string reason)
    {
        string header = Header(attribute);
        Assert.Contains("Kernel    specialized: 9 taps unrolled", header);
        Assert.Contains("Winograd F(4x4,3x3) not used: ", header);
        Assert.Contains(reason, header);
    }

    [Theory]
    [InlineData("K = 3, P = 1, S = 2, InChannels = 64, OutChannels = 64, InH = 28, InW = 28")]
    [InlineData("K = 3, P = 2, D = 2, InChannels = 64, OutChannels = 64, InH = 28, InW = 28")]
    [InlineData("K = 5, P = 2, InChannels = 64, OutChannels = 64, InH = 28, InW = 28")]
    public void Layers_Winograd_does_not_cover_do_not_mention_it(string attribute)
        => Assert.DoesNotContain("Winograd", Header(attribute));
}
