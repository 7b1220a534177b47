using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using ConvGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace ConvGen.Generator.Tests.Emission;

/// <summary>
/// A wide sweep of geometries through the emitter, compiled in memory in one batch, loaded into a collectible
/// context and run against the reference: K in {1,2,3,5,7}, every padding from 0 to K (past the kernel included),
/// strides 1-3, dilations 1-2, with and without a static input size, on odd and prime sizes; and Winograd layers.
/// </summary>
public class KernelSweepTests
{
    private sealed record Case(string Name, int K, int P, int S, int D, int InH, int InW, int Cin, int Cout, int Groups);

    private static List<Case> Cases()
    {
        var cases = new List<Case>();
        foreach (int k in new[] { 1, 2, 3, 5, 7 })
        {
            for (int p = 0; p <= k; p++)
            {
                foreach (int s in new[] { 1, 2, 3 })
                {
                    foreach (int d in k == 1 ? new[] { 1 } : new[] { 1, 2 })
                    {
                        bool isStatic = (k + p + s + d) % 3 == 0;
                        int groups = (k + p + s) % 4 == 0 ? 3 : 1;
                        cases.Add(new Case($"L_k{k}_p{p}_s{s}_d{d}", k, p, s, d, isStatic ? 11 + k : 0, isStatic ? 17 + 2 * k : 0, 3, groups == 3 ? 6 : 5, groups));
                    }
                }
            }
        }

        // Winograd F(4x4,3x3) layers: every padding up to past the kernel, outputs from one tile upward with every
        // remainder modulo 4, tile rows narrower and wider than a vector, filters not a multiple of any GEMM tile.
        int[][] winograd = { new[] { 6, 6 }, new[] { 9, 13 }, new[] { 5, 70 }, new[] { 17, 35 } };
        for (int p = 0; p <= 3; p++)
        {
            foreach (int[] size in winograd)
            {
                cases.Add(new Case($"W_p{p}_{size[0]}x{size[1]}", 3, p, 1, 1, size[0] + 2 - p, size[1] + 2 - p, 32 + p, 37 - p, 1));
            }
        }

        return cases;
    }

    [Fact]
    public void Every_geometry_in_the_sweep_matches_the_reference()
    {
        List<Case> cases = Cases();
        var source = new StringBuilder("namespace Sweep;\n#pragma warning disable CONV0051, CONV0052, CONV0053\n");
        foreach (Case c in cases)
        {
            string size = c.InH > 0 ? $", InH = {c.InH}, InW = {c.InW}" : "";
            source.Append($"[ConvGen.ConvLayer(K = {c.K}, P = {c.P}, S = {c.S}, D = {c.D}, Groups = {c.Groups}, InChannels = {c.Cin}, OutChannels = {c.Cout}{size})] public partial class {c.Name} {{ }}\n");
        }

        GeneratorRun run = GeneratorHarness.Run(source.ToString());
        Assert.Equal(cases.Count, run.GeneratedSources.Count);
        Compilation optimized = run.OutputCompilation.WithOptions(run.OutputCompilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        EmitResult emitted = optimized.Emit(image);
        Assert.True(emitted.Success, GeneratorHarness.Format(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var context = new AssemblyLoadContext("ConvGenSweep", isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            var random = new Random(2024);
            int runs = 0;
            foreach (Case c in cases)
            {
                var layer = (IConvLayer)Activator.CreateInstance(assembly.GetType("Sweep." + c.Name, throwOnError: true)!)!;
                IEnumerable<(int H, int W)> sizes = c.InH > 0
                    ? new[] { (c.InH, c.InW) }
                    : new[] { (1, 1), (5, 3), (7, 19), (13, 37) };
                foreach ((int h, int w) in sizes)
                {
                    if (!ConvArithmetic.Fits(h, c.K, c.P, c.P, c.D) || !ConvArithmetic.Fits(w, c.K, c.P, c.P, c.D))
                    {
                        continue;
                    }

                    SweepRunner.RunOne(layer, new TensorShape(1 + runs % 2, c.Cin, h, w), random, c.Name);
                    runs++;
                }
            }

            Assert.True(runs > cases.Count, $"only {runs} runs for {cases.Count} layers");
        }
        finally
        {
            context.Unload();
        }
    }
}
