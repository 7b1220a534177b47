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
/// A sweep of the family through the emitter, compiled in memory in one batch and run against the reference:
/// transposed layers over kernel, stride, padding and output padding (the phase planner's arithmetic), separable layers
/// over kernel, stride, multiplier and padding mode, 1-D and 3-D layers over padding rules and modes, each with a
/// static size and with any size.
/// </summary>
public class FamilySweepTests
{
    private static List<(string Name, string Attribute)> Cases()
    {
        var cases = new List<(string, string)>();
        int n = 0;
        string Next() => "F" + (n++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (int k in new[] { 1, 2, 3, 4, 5 })
        {
            foreach (int s in new[] { 1, 2, 3, 4 })
            {
                for (int p = 0; p < k; p++)
                {
                    foreach (int op in s > 1 ? new[] { 0, s - 1 } : new[] { 0 })
                    {
                        bool isStatic = (k + s + p) % 2 == 0;
                        string size = isStatic ? ", InH = 4, InW = 7" : "";
                        cases.Add((Next(), $"ConvTransposeLayer(K = {k}, S = {s}, P = {p}, OutputPadding = {op}, InChannels = 3, OutChannels = 5{size})"));
                    }
                }
            }
        }

        foreach ((int k, int s, int p) in new[] { (3, 2, 1), (4, 2, 1), (2, 2, 0), (3, 1, 1), (5, 3, 2) })
        {
            cases.Add((Next(), $"ConvTranspose1dLayer(K = {k}, S = {s}, P = {p}, InChannels = 4, OutChannels = 2)"));
            cases.Add((Next(), $"ConvTranspose3dLayer(K = {k}, S = {s}, P = {p}, InChannels = 2, OutChannels = 3, Groups = 1)"));
            cases.Add((Next(), $"ConvTransposeLayer(K = {k}, S = {s}, P = {p}, Groups = 2, InChannels = 4, OutChannels = 6, Activation = ConvGen.Activation.SiLU)"));
        }

        foreach (int k in new[] { 1, 3, 5 })
        {
            foreach (int s in new[] { 1, 2 })
            {
                foreach (int m in new[] { 1, 2 })
                {
                    foreach (string mode in new[] { "Zeros", "Reflect", "Circular" })
                    {
                        string size = (k + s + m) % 2 == 0 ? ", InH = 9, InW = 13" : "";
                        cases.Add((Next(), $"SeparableConvLayer(K = {k}, S = {s}, P = {k / 2}, DepthMultiplier = {m}, PaddingMode = ConvGen.PaddingMode.{mode}, InChannels = 3, OutChannels = 4{size})"));
                    }
                }
            }
        }

        foreach (string rule in new[] { "Explicit", "Same", "SameLower", "Valid" })
        {
            foreach (string mode in new[] { "Zeros", "Reflect", "Replicate", "Circular" })
            {
                foreach ((int k, int s) in new[] { (3, 1), (4, 2), (5, 1) })
                {
                    string pad = rule == "Explicit" ? $", PadLeft = {k - 1}, PadRight = 0" : "";
                    cases.Add((Next(), $"Conv1dLayer(K = {k}, S = {s}, Padding = ConvGen.PaddingRule.{rule}, PaddingMode = ConvGen.PaddingMode.{mode}, InChannels = 3, OutChannels = 5{pad})"));
                    cases.Add((Next(), $"Conv3dLayer(K = {k - 1}, S = {s}, Padding = ConvGen.PaddingRule.{rule}, PaddingMode = ConvGen.PaddingMode.{mode}, InChannels = 2, OutChannels = 3)"));
                }
            }
        }

        return cases;
    }

    [Fact]
    public void Every_family_geometry_in_the_sweep_matches_the_reference()
    {
        List<(string Name, string Attribute)> cases = Cases();
        var source = new StringBuilder("namespace Sweep;\n#pragma warning disable CONV0051, CONV0052, CONV0053, CONV0055, CONV0058, CONV0080\n");
        foreach ((string name, string attribute) in cases)
        {
            source.Append($"[ConvGen.{attribute}] public partial class {name} {{ }}\n");
        }

        GeneratorRun run = GeneratorHarness.Run(source.ToString());
        Compilation optimized = run.OutputCompilation.WithOptions(run.OutputCompilation.Options.WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        EmitResult emitted = optimized.Emit(image);
        Assert.True(emitted.Success, GeneratorHarness.Format(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var context = new AssemblyLoadContext("ConvGenFamilySweep", isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            var random = new Random(7);
            int layers = 0, runs = 0;
            foreach ((string name, string attribute) in cases)
            {
                if (Activator.CreateInstance(assembly.GetType("Sweep." + name, throwOnError: true)!) is not IConvLayer layer)
                {
                    continue; // invalid in the sweep (e.g. output padding not below the stride): the analyzer rejects it
                }

                layers++;
                foreach (TensorShape shape in Shapes(layer.Geometry))
                {
                    try
                    {
                        layer.GetOutputShape(shape);
                    }
                    catch (ArgumentException)
                    {
                        continue; // too small for the kernel or the padding mode
                    }

                    SweepRunner.RunOne(layer, shape, random, name + " " + attribute);
                    runs++;
                }
            }

            Assert.True(layers > cases.Count * 3 / 4, $"only {layers} of {cases.Count} layers generated");
            Assert.True(runs > layers, $"only {runs} runs for {layers} layers");
        }
        finally
        {
            context.Unload();
        }
    }

    private static IEnumerable<TensorShape> Shapes(ConvGeometry g)
    {
        int c = g.InChannels;
        if (g.StaticInW != 0)
        {
            yield return g.Dimensions switch
            {
                1 => new TensorShape(2, c, g.StaticInW),
                3 => new TensorShape(1, c, g.StaticInD, g.StaticInH, g.StaticInW),
                _ => new TensorShape(2, c, g.StaticInH, g.StaticInW),
            };
            yield break;
        }

        foreach ((int d, int h, int w) in new[] { (1, 1, 1), (2, 3, 2), (3, 6, 9), (4, 7, 19) })
        {
            yield return g.Dimensions switch
            {
                1 => new TensorShape(2, c, w + h),
                3 => new TensorShape(1, c, d, h, w),
                _ => new TensorShape(2, c, h, w),
            };
        }
    }
}
