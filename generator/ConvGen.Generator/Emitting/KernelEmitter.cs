using System.Linq;
using System.Globalization;
using System.Text;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Writes the specialized kernel of one layer: a driver that stages the input and walks images, groups, tiles of
/// output channels and output rows, and per tile size one row method per vector width plus a scalar one. Row methods
/// unroll every tap and every output channel of the tile into separate accumulator locals (the JIT only keeps
/// separate locals in registers) and take their sizes from consts whenever the attribute fixes them.
/// </summary>
internal static class KernelEmitter
{
    public const string KernelNamespace = "ConvGen.Generated";

    public static string KernelClassName(KernelPlan plan)
    {
        var name = new StringBuilder();
        foreach (char c in plan.HintName.Substring(0, plan.HintName.Length - ".ConvLayer.g.cs".Length))
        {
            name.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return name.Append("_Kernel").ToString();
    }

    /// <summary>Writes the kernel class, in ConvGen's own namespace so its using directives cannot clash with user names.</summary>
    public static void Emit(CodeWriter w, KernelPlan plan)
    {
        var dims = new KernelDims(plan.Geometry);
        w.Line("namespace " + KernelNamespace);
        w.Line("{");
        w.Indent();
        w.Line("using System;");
        w.Line("using System.Runtime.CompilerServices;");
        w.Line("using System.Runtime.InteropServices;");
        w.Line("using System.Runtime.Intrinsics;");
        w.Line("using ConvGen.Internal;");
        w.Line();
        w.Line($"/// <summary>Specialized kernel of <c>{LayerEmitter.Xml(plan.ClassName)}</c>; called only by that layer after its shapes are checked.</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"ConvGen\", \"%VERSION%\")]");
        w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
        w.Line("[global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]");
        using (w.Block($"internal static class {KernelClassName(plan)}"))
        {
            w.Line("// Kernels are compiled fully optimized on first call (AggressiveOptimization): tiered compilation would");
            w.Line("// otherwise run the first calls unoptimized, without inlining the per-tap multiply-adds.");
            WriteConstants(w, plan, dims);
            if (plan.Winograd is not null)
            {
                // Vector paths run Winograd; without SIMD its transforms do not pay, and the direct scalar kernel runs.
                WinogradEmitter.WriteDriver(w, plan);
                plan = plan with { Tiles = EquatableArray<TileShape>.Empty };
                WriteDriver(w, plan, dims, "RunDirect");
            }
            else
            {
                WriteDriver(w, plan, dims, "Run");
            }

            foreach (TileShape tile in plan.Tiles.Concat(plan.NarrowTiles))
            {
                VectorBlockEmitter.Emit(w, plan, dims, tile);
            }

            WriteScalarGroup(w, plan, dims);
            foreach (int tile in Tiles(plan))
            {
                WriteScalarTile(w, plan, dims, tile);
            }

            if (plan.Winograd is not null)
            {
                WinogradEmitter.WriteGemms(w, plan);
            }
        }

        w.Outdent();
        w.Line("}");
    }

    /// <summary>
    /// Stages one group's input volume: every plane of the padded depth is the input plane the padding mode picks (or
    /// zeros), itself padded and phase-split like a 2-D plane.
    /// </summary>
    private static void WriteVolumeStaging(CodeWriter w, LayerGeometry g)
    {
        using (w.Block("for (int c = 0; c < CinG; c++)"))
        {
            using (w.Block("for (int d = 0; d < Din + PF + PK; d++)"))
            {
                w.Line($"int source = PlaneStaging.SourceIndex(d - PF, Din, global::ConvGen.PaddingMode.{g.PaddingMode});");
                w.Line("Span<float> plane = staged.Slice(c * (int)PlaneStride + d * (int)DepthStride, (int)DepthStride);");
                w.Line("if (source < 0) { plane.Clear(); continue; }");
                w.Line($"PlaneStaging.Stage(image.Slice(((g * CinG + c) * Din + source) * inPlane, inPlane), H, W, plane, PT, PB, PL, PR, SW, (int)RowStride, global::ConvGen.PaddingMode.{g.PaddingMode});");
            }
        }
    }

    /// <summary>Symmetric zero padding: the staging call and constants every 2-D layer had before padding modes.</summary>
    internal static bool IsPlainStaging(LayerGeometry g)
        => g.PaddingMode == LayerPaddingMode.Zeros && g.PadBottom == g.PadH && g.PadRight == g.PadW;

    /// <summary>Path numbers of the narrow tiles: past the main widths and the scalar default.</summary>
    private static int NarrowPath(int bits) => bits == 512 ? 10 : bits == 256 ? 11 : 12;

    private static int[] Tiles(KernelPlan plan)
        => plan.OcRemainderTile > 0 && plan.OcRemainderTile != plan.OcTile ? new[] { plan.OcTile, plan.OcRemainderTile } : new[] { plan.OcTile };

    private static void WriteConstants(CodeWriter w, KernelPlan plan, KernelDims dims)
    {
        LayerGeometry g = plan.Geometry;
        w.Line("// Geometry, baked in.");
        if (g.Dimensions == 3)
        {
            w.Line($"private const int KD = {g.KernelD}, KH = {g.KernelH}, KW = {g.KernelW}, SD = {g.StrideD}, SH = {g.StrideH}, SW = {g.StrideW}, DD = {g.DilationD}, Groups = {g.Groups};");
            w.Line($"private const int PF = {g.PadFront}, PK = {g.PadBack}, PT = {g.PadH}, PB = {g.PadBottom}, PL = {g.PadW}, PR = {g.PadRight}; // pads: front, back, top, bottom, left, right");
        }
        else
        {
        w.Line(IsPlainStaging(g)
            ? $"private const int KH = {g.KernelH}, KW = {g.KernelW}, SH = {g.StrideH}, SW = {g.StrideW}, PH = {g.PadH}, PW = {g.PadW}, Groups = {g.Groups};"
            : $"private const int KH = {g.KernelH}, KW = {g.KernelW}, SH = {g.StrideH}, SW = {g.StrideW}, PT = {g.PadH}, PB = {g.PadBottom}, PL = {g.PadW}, PR = {g.PadRight}, Groups = {g.Groups};");
        }
        if (g.HasStaticChannels)
        {
            w.Line($"private const int Cin = {g.InChannels}, Cout = {g.OutChannels};");
        }

        if (g.HasStaticHeight)
        {
            w.Line($"private const int H = {g.InH};");
        }

        if (g.HasStaticWidth)
        {
            w.Line($"private const int W = {g.InW};");
        }

        if (g.HasStaticDepth)
        {
            w.Line($"private const int Din = {g.InD}; // input depth");
        }

        foreach (string line in dims.ConstDeclarations())
        {
            w.Line(line);
        }

        w.Line();
    }

    private static void WriteDriver(CodeWriter w, KernelPlan plan, KernelDims dims, string name)
    {
        LayerGeometry g = plan.Geometry;
        w.Line("/// <summary>");
        w.Line("/// Runs part <paramref name=\"part\"/> of <paramref name=\"parts\"/> of the layer on a checked input; <paramref name=\"bias\"/> is");
        w.Line("/// empty when the layer has none. The work items are (image, group, tile of filters) in order; each part takes a");
        w.Line("/// contiguous range of them, so parts write disjoint outputs and each stages only the groups it touches.");
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"{(name == "Run" ? "public" : "private")} static void {name}(ReadOnlySpan<float> input, TensorShape s, Span<float> output, TensorShape o, float[] weights, float[] bias, int part, int parts)"))
        {
            if (!g.HasStaticChannels)
            {
                w.Line("int Cin = s.C, Cout = o.C;");
            }

            if (!g.HasStaticHeight)
            {
                w.Line("int H = s.H;");
            }

            if (!g.HasStaticWidth)
            {
                w.Line("int W = s.W;");
            }

            if (g.Dimensions == 3 && !g.HasStaticDepth)
            {
                w.Line("int Din = s.D; // input depth");
            }

            foreach (string line in dims.RuntimeDeclarations())
            {
                w.Line(line);
            }

            w.Line(g.Dimensions == 3
                ? "int inPlane = H * W, inImage = Cin * Din * inPlane, outImage = Cout * (int)OutPlane;"
                : "int inPlane = H * W, inImage = Cin * inPlane, outImage = Cout * (int)OutPlane;");
            w.Line("ref float w0 = ref MemoryMarshal.GetArrayDataReference(weights);");
            w.Line("ref float b0 = ref MemoryMarshal.GetArrayDataReference(bias);");
            w.Line();
            w.Line("// The path, and with it the filters per tile, is fixed for the whole call. Each IsHardwareAccelerated is a");
            w.Line("// JIT/AOT-time constant: only one branch survives compilation.");
            w.Line(plan.Tiles.Length == 0 ? "int path = 0, tile;" : "int path, tile;");
            string keyword = "if";
            int index = 0;
            foreach (TileShape t in plan.Tiles)
            {
                TileShape? narrow = plan.NarrowTiles.FirstOrDefault(n => n.Bits == t.Bits);
                w.Line(narrow is null
                    ? $"{keyword} (Vector{t.Bits}.IsHardwareAccelerated && OW >= {t.Lanes}) {{ path = {index}; tile = {t.Filters}; }}"
                    : $"{keyword} (Vector{t.Bits}.IsHardwareAccelerated && OW > {t.Lanes * narrow.NarrowUpTo}) {{ path = {index}; tile = {t.Filters}; }}");
                keyword = "else if";
                if (narrow is not null)
                {
                    w.Line($"else if (Vector{t.Bits}.IsHardwareAccelerated && OW >= {t.Lanes}) {{ path = {NarrowPath(t.Bits)}; tile = {narrow.Filters}; }} // rows of at most {narrow.NarrowUpTo} vector(s): one-vector tiles waste less");
                }

                index++;
            }

            w.Line(index == 0 ? $"tile = {plan.OcTile};" : $"else {{ path = {index}; tile = {plan.OcTile}; }}");
            w.Line("int tiles = (CoutG + tile - 1) / tile;");
            w.Line("int items = s.N * Groups * tiles;");
            w.Line("int item = (int)((long)items * part / parts), last = (int)((long)items * (part + 1) / parts);");
            if (g.NeedsStaging)
            {
                w.Line("// A staged copy of one group's input planes: zero borders stand in for the padding, so no tap is tested per");
                w.Line("// pixel. Staged right before use, so the copy is still in cache when the taps read it.");
                w.Line("// Each thread stages into its own buffer: sharing one copy measured slower, as the other core then reads it");
                w.Line("// from the first core's cache.");
                w.Line("Span<float> staged = Scratch.Get(checked(CinG * (int)PlaneStride));");
                w.Line("int stagedN = -1, stagedG = -1;");
            }

            using (w.Block("while (item < last)"))
            {
                w.Line("int n = item / (Groups * tiles), g = item / tiles % Groups, first = item % tiles;");
                w.Line("int end = Math.Min(tiles, first + (last - item));");
                w.Line("ReadOnlySpan<float> image = input.Slice(n * inImage, inImage);");
                if (g.NeedsStaging)
                {
                    using (w.Block("if (n != stagedN || g != stagedG)"))
                    {
                        if (g.HasDepthLoop)
                        {
                            WriteVolumeStaging(w, g);
                        }
                        else
                        using (w.Block("for (int c = 0; c < CinG; c++)"))
                        {
                            w.Line(IsPlainStaging(g)
                                ? "PlaneStaging.Stage(image.Slice((g * CinG + c) * inPlane, inPlane), H, W, staged.Slice(c * (int)PlaneStride, (int)PlaneStride), PH, PW, SW, (int)RowStride);"
                                : $"PlaneStaging.Stage(image.Slice((g * CinG + c) * inPlane, inPlane), H, W, staged.Slice(c * (int)PlaneStride, (int)PlaneStride), PT, PB, PL, PR, SW, (int)RowStride, global::ConvGen.PaddingMode.{g.PaddingMode});");
                        }

                        w.Line("(stagedN, stagedG) = (n, g);");
                    }

                    w.Line("ref float xg = ref MemoryMarshal.GetReference(staged);");
                }
                else
                {
                    w.Line("ref float xg = ref Unsafe.Add(ref MemoryMarshal.GetReference(image), g * CinG * PlaneStride);");
                }

                w.Line("ref float y0 = ref MemoryMarshal.GetReference(output.Slice(n * outImage, outImage));");
                w.Line("int ocBegin = g * CoutG + first * tile, ocEnd = g * CoutG + Math.Min(CoutG, end * tile);");
                (string x, string y) = ("xg", "y0");
                if (g.HasDepthLoop)
                {
                    w.Line("// One output depth at a time: the 2-D tiles below, with the kernel's depth taps looped inside each input channel.");
                    w.Line("for (int od = 0; od < OD; od++)");
                    w.Line("{");
                    w.Indent();
                    w.Line("ref float xd = ref Unsafe.Add(ref xg, od * SD * DepthStride);");
                    w.Line("ref float yd = ref Unsafe.Add(ref y0, od * OutDepth);");
                    (x, y) = ("xd", "yd");
                }

                w.Line("switch (path)");
                w.Line("{");
                w.Indent();
                index = 0;
                foreach (TileShape t in plan.Tiles)
                {
                    w.Line($"case {index}: {VectorBlockEmitter.GroupName(t)}(ref {x}, ref w0, ref {y}, ref b0, ocBegin, ocEnd{dims.Arguments()}); break;");
                    index++;
                }

                foreach (TileShape t in plan.NarrowTiles)
                {
                    w.Line($"case {NarrowPath(t.Bits)}: {VectorBlockEmitter.GroupName(t)}(ref {x}, ref w0, ref {y}, ref b0, ocBegin, ocEnd{dims.Arguments()}); break;");
                }

                w.Line($"default: Group_Scalar(ref {x}, ref w0, ref {y}, ref b0, ocBegin, ocEnd{dims.Arguments()}); break;");
                w.Outdent();
                w.Line("}");
                if (g.HasDepthLoop)
                {
                    w.Outdent();
                    w.Line("}");
                }
                w.Line();
                w.Line("item += end - first;");
            }
        }

        w.Line();
    }

    private static string Params(KernelDims dims) => "ref float x, ref float w, ref float y, ref float b" + dims.Parameters();

    private static void WriteScalarGroup(CodeWriter w, KernelPlan plan, KernelDims dims)
    {
        w.Line("/// <summary>One group without SIMD (or with rows narrower than every vector): a row of one pixel at a time per tile of filters.</summary>");
        using (w.Block($"private static void Group_Scalar(ref float xg, ref float w0, ref float y0, ref float b0, int oc, int end{dims.Parameters()})"))
        {
            WriteTileLoop(w, dims, plan.OcTile, loop: true);
            if (plan.OcRemainderTile > 0)
            {
                WriteTileLoop(w, dims, plan.OcRemainderTile, loop: !plan.Geometry.HasStaticChannels);
            }
        }

        w.Line();
    }

    private static void WriteTileLoop(CodeWriter w, KernelDims dims, int tile, bool loop)
    {
        string header = loop
            ? $"for (; oc + {tile} <= end; oc += {tile})"
            : $"if (oc + {tile} <= end) // the {tile} filter(s) left after the full tiles";
        using (w.Block(header))
        {
            using (w.Block("for (int oh = 0; oh < OH; oh++)"))
            {
                w.Line($"Tile{tile}_Scalar(ref Unsafe.Add(ref xg, oh * SH * RowStride), ref Unsafe.Add(ref w0, oc * WOc), ref Unsafe.Add(ref y0, oc * OutPlane + oh * OW), ref Unsafe.Add(ref b0, oc){dims.Arguments()});");
            }
        }
    }

    private static void WriteScalarTile(CodeWriter w, KernelPlan plan, KernelDims dims, int tile)
    {
        LayerGeometry g = plan.Geometry;
        w.Line($"/// <summary>{tile} filter(s), one output pixel per step: no SIMD, or an output row narrower than every vector.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void Tile{tile}_Scalar({Params(dims)})"))
        {
            using (w.Block("for (nint ow = 0; ow < OW; ow++)"))
            {
                w.Line(Join(tile, r => g.HasBias ? $"float acc{r} = Unsafe.Add(ref b, {r});" : $"float acc{r} = 0f;"));
                w.Line(g.HasDepthLoop ? "ref float xch = ref Unsafe.Add(ref x, ow);" : "ref float xc = ref Unsafe.Add(ref x, ow);");
                w.Line("ref float wc = ref w;");
                using (w.Block("for (int ic = 0; ic < CinG; ic++)"))
                {
                    if (g.HasDepthLoop)
                    {
                        w.Line("ref float xc = ref xch;");
                        w.Line("for (int kd = 0; kd < KD; kd++)");
                        w.Line("{");
                        w.Indent();
                    }

                    w.Line("float v;");
                    for (int ky = 0; ky < g.KernelH; ky++)
                    {
                        w.Line($"// Row ky={ky}.");
                        for (int kx = 0; kx < g.KernelW; kx++)
                        {
                            string tap = dims.TapOffset(ky, kx);
                            w.Line(tap == "0" ? "v = xc;" : $"v = Unsafe.Add(ref xc, {tap});");
                            w.Line(Join(tile, r => $"acc{r} += v * Unsafe.Add(ref wc, {dims.WeightOffset(r, ky, kx)});"));
                        }
                    }

                    if (g.HasDepthLoop)
                    {
                        w.Line("xc = ref Unsafe.Add(ref xc, DD * DepthStride);");
                        w.Line($"wc = ref Unsafe.Add(ref wc, {g.PlaneTaps});");
                        w.Outdent();
                        w.Line("}");
                        w.Line();
                        w.Line("xch = ref Unsafe.Add(ref xch, PlaneStride);");
                    }
                    else
                    {
                        w.Line("xc = ref Unsafe.Add(ref xc, PlaneStride);");
                        w.Line($"wc = ref Unsafe.Add(ref wc, {g.Taps});");
                    }
                }

                for (int r = 0; r < tile; r++)
                {
                    string offset = dims.OutputPlaneOffset(r);
                    string value = ActivationEmitter.Wrap(g, $"acc{r}", 0);
                    w.Line(offset == "0" ? $"Unsafe.Add(ref y, ow) = {value};" : $"Unsafe.Add(ref y, ow + {offset}) = {value};");
                }
            }
        }

        w.Line();
    }

    internal static string Join(int count, System.Func<int, string> item)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(item(i));
        }

        return text.ToString();
    }
}
