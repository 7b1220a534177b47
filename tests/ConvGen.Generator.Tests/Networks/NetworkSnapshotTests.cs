using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Tests.Emission;
using ConvGen.Generator.Tests.Infrastructure;
using Xunit;

namespace ConvGen.Generator.Tests.Networks;

/// <summary>The generated network, pooling and linear classes, as users read them.</summary>
public sealed class NetworkSnapshotTests
{
    [Fact]
    public void LeNet_network_file_shows_summary_memory_plan_and_straight_line_forward()
    {
        GeneratorRun run = GeneratorHarness.Run(NetworkSources.LeNet);
        run.AssertCompilesCleanly();
        foreach (KeyValuePair<string, string> file in run.GeneratedSources.Where(f => !f.Key.EndsWith(".ConvLayer.g.cs", System.StringComparison.Ordinal)))
        {
            if (file.Key is "Demo.LeNet.Network.g.cs" or "Demo.Pool2.Layer.g.cs" or "Demo.Avg2.Layer.g.cs" or "Demo.Fc1.Layer.g.cs")
            {
                SnapshotAssert.Matches(file.Value, file.Key, test: nameof(LeNet_network_file_shows_summary_memory_plan_and_straight_line_forward));
            }
        }
    }
}
