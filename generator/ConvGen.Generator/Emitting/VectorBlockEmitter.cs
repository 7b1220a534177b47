using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Writes the SIMD part of a kernel for one vector width: a group driver that walks tiles of filters, and block
/// methods that compute <c>Filters x Rows x Vectors</c> accumulators at once. Inside a block every tap is unrolled;
/// input vectors are loaded once per (input row, kx) and fed to every (output row, filter) that reads them, so a
/// tile of several rows reuses each load K times (the sliding row window of depthwise kernels falls out of this).
/// </summary>
internal static class VectorBlockEmitter
{
    public static void Emit(CodeWriter w, KernelPlan plan, KernelDims dims, TileShape tile)
    {
        LayerGeometry g = plan.Geometry;
        var blocks = new List<TileShape> { tile };
        int remainder = g.HasStaticChannels ? g.OutChannelsPerGroup % tile.Filters : (tile.Filters > 1 ? 1 : 0);
        if (remainder > 0)
        {
            blocks.Add(tile with { Filters = remainder, HoistWeights = tile.HoistWeights && remainder == 1 });
        }

        // Without a static height the image may have fewer rows than the tile: a one-row twin covers it.
        if (tile.Rows > 1 && !g.HasStaticHeight)
        {
            blocks.AddRange(blocks.Select(b => b with { Rows = 1 }).ToList());
        }

        WriteGroup(w, plan, dims, tile, remainder);
        foreach (TileShape block in blocks)
        {
            WriteBlock(w, plan, dims, block, hasOneRowTwin: block.Rows > 1 && !g.HasStaticHeight);
        }
    }

    public static string GroupName(TileShape t) => t.Narrow ? $"Group_V{t.Bits}_Narrow" : $"Group_V{t.Bits}";

    private static string BlockName(TileShape t) => t.Narrow ? $"{t.Name}_V{t.Bits}_Narrow" : $"{t.Name}_V{t.Bits}";

    private static string Params(KernelDims dims) => "ref float x, ref float w, ref float y, ref float b, int row0, int row1, int col0, int col1" + dims.Parameters();

    private static void WriteGroup(CodeWriter w, KernelPlan plan, KernelDims dims, TileShape tile, int remainder)
    {
        LayerGeometry g = plan.Geometry;
        bool chunked = g.IsFlatPointwise;
        int step = tile.Vectors * tile.Lanes;
        w.Line($"/// <summary>Filters oc..end-1 of one group with Vector{tile.Bits}: tiles of {tile.Filters} filter(s){(remainder > 0 ? $", then {(g.HasStaticChannels ? remainder.ToString(CultureInfo.InvariantCulture) : "single")} filter(s) left over" : "")}.</summary>");
        using (w.Block($"private static void {GroupName(tile)}(ref float xg, ref float w0, ref float y0, ref float b0, int oc, int end{dims.Parameters()})"))
        {
            string range = chunked ? "0, OH, col0, col1" : "row0, row1, 0, OW";
            w.Line("int first = oc;");
            if (chunked)
            {
                w.Line("// A 1x1 layer is a GEMM: every filter tile sweeps one chunk of pixels before the next chunk, so the chunk's");
                w.Line("// CinG input values (at most 32 KB) stay in L1 while all filters read them, instead of the whole input");
                w.Line("// streaming from L2 once per filter tile.");
                w.Line($"int chunk = Math.Max({step}, 8192 / CinG / {step} * {step});");
                w.Line("for (int col0 = 0; col0 < OW; col0 += chunk)");
                w.Line("{");
                w.Indent();
                w.Line("int col1 = Math.Min(OW, col0 + chunk);");
            }
            else
            {
                w.Line("// Every filter tile sweeps one chunk of output rows before the next chunk, so the input rows the chunk reads");
                w.Line("// (about 32 KB) are still in L1 for the next filter tile, instead of the whole input streaming from L2 once");
                w.Line("// per filter tile.");
                w.Line($"int chunk = Math.Max({tile.Rows}, (int)(8192 / ((long)CinG * {(g.HasDepthLoop ? g.KernelD * g.StrideH : g.StrideH)} * RowStride)) / {tile.Rows} * {tile.Rows});");
                w.Line("for (int row0 = 0; row0 < OH; row0 += chunk)");
                w.Line("{");
                w.Indent();
                w.Line("int row1 = Math.Min(OH, row0 + chunk);");
            }

            w.Line("oc = first;");
            using (w.Block($"for (; oc + {tile.Filters} <= end; oc += {tile.Filters})"))
            {
                w.Line($"{BlockName(tile)}(ref xg, ref Unsafe.Add(ref w0, oc * WOc), ref Unsafe.Add(ref y0, oc * OutPlane), ref Unsafe.Add(ref b0, oc), {range}{dims.Arguments()});");
            }

            if (remainder > 0)
            {
                TileShape rest = tile with { Filters = remainder, HoistWeights = tile.HoistWeights && remainder == 1 };
                string header = g.HasStaticChannels ? $"if (oc < end) // the {remainder} filter(s) after the full tiles" : "for (; oc < end; oc++) // filters after the full tiles, one at a time";
                using (w.Block(header))
                {
                    w.Line($"{BlockName(rest)}(ref xg, ref Unsafe.Add(ref w0, oc * WOc), ref Unsafe.Add(ref y0, oc * OutPlane), ref Unsafe.Add(ref b0, oc), {range}{dims.Arguments()});");
                }
            }

            w.Outdent();
            w.Line("}");
        }

        w.Line();
    }

    private static void WriteBlock(CodeWriter w, KernelPlan plan, KernelDims dims, TileShape t, bool hasOneRowTwin)
    {
        LayerGeometry g = plan.Geometry;
        int lanes = t.Lanes;
        string v = $"Vector{t.Bits}";
        string vf = $"Vector{t.Bits}<float>";
        w.Line($"/// <summary>{t.Filters} filter(s) over output rows row0..row1-1 and columns col0..col1-1, {t.Rows} output row(s) x {t.Vectors} vector(s) of {lanes} pixels at a time ({t.Accumulators} accumulators); the last row and column blocks overlap the previous ones instead of masking.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void {BlockName(t)}({Params(dims)})"))
        {
            if (hasOneRowTwin)
            {
                using (w.Block($"if (OH < {t.Rows})"))
                {
                    w.Line($"{BlockName(t with { Rows = 1 })}(ref x, ref w, ref y, ref b, row0, row1, col0, col1{dims.Arguments()});");
                    w.Line("return;");
                }
            }

            for (int f = 0; f < t.Filters; f++)
            {
                w.Line(g.HasBias ? $"{vf} bias{f} = {v}.Create(Unsafe.Add(ref b, {f}));" : $"{vf} bias{f} = {vf}.Zero;");
            }

            if (t.HoistWeights)
            {
                w.Line("// One filter over one input channel: its taps stay in registers for the whole plane.");
                for (int ky = 0; ky < g.KernelH; ky++)
                {
                    w.Line(KernelEmitter.Join(g.KernelW, kx => $"{vf} k{ky}_{kx} = {v}.Create(Unsafe.Add(ref w, {ky * g.KernelW + kx}));"));
                }
            }

            string rowStep = t.Rows == 1 ? "oh++" : $"oh += {t.Rows}";
            using (w.Block($"for (int oh = row0; oh < row1; {rowStep})"))
            {
                if (t.Rows == 1)
                {
                    w.Line("nint row = oh;");
                }
                else
                {
                    w.Line($"nint row = Math.Min(oh, row1 - {t.Rows}); // the last row block overlaps the one before");
                }

                w.Line("ref float xr = ref Unsafe.Add(ref x, row * SH * RowStride);");
                w.Line("ref float yr = ref Unsafe.Add(ref y, row * OW);");
                using (w.Block($"for (int ow = col0; ow < col1; ow += {t.Vectors * lanes})"))
                {
                    w.Line(KernelEmitter.Join(t.Vectors, c => $"nint c{c} = Math.Min(ow{(c == 0 ? "" : " + " + (c * lanes).ToString(CultureInfo.InvariantCulture))}, col1 - {lanes});"));
                    for (int f = 0; f < t.Filters; f++)
                    {
                        w.Line(KernelEmitter.Join(t.Rows * t.Vectors, i => $"{vf} a{f}_{i / t.Vectors}_{i % t.Vectors} = bias{f};"));
                    }

                    w.Line(g.HasDepthLoop ? "ref float xch = ref xr;" : "ref float xc = ref xr;");
                    if (!t.HoistWeights)
                    {
                        w.Line("ref float wc = ref w;");
                    }

                    string icLoop = g.HasStaticChannels && g.InChannelsPerGroup == 1 ? "for (int ic = 0; ic < 1; ic++) // one input channel per group" : "for (int ic = 0; ic < CinG; ic++)";
                    using (w.Block(icLoop))
                    {
                        if (g.HasDepthLoop)
                        {
                            w.Line("ref float xc = ref xch;");
                            using (w.Block("for (int kd = 0; kd < KD; kd++)"))
                            {
                                w.Line(KernelEmitter.Join(t.Vectors, c => $"{vf} x{c};") + $" {vf} k;");
                                WriteTaps(w, g, dims, t, v);
                                w.Line("xc = ref Unsafe.Add(ref xc, DD * DepthStride);");
                                w.Line($"wc = ref Unsafe.Add(ref wc, {g.PlaneTaps});");
                            }

                            w.Line("xch = ref Unsafe.Add(ref xch, PlaneStride);");
                        }
                        else
                        {
                            w.Line(KernelEmitter.Join(t.Vectors, c => $"{vf} x{c};") + (t.HoistWeights ? "" : $" {vf} k;"));
                            WriteTaps(w, g, dims, t, v);
                            w.Line("xc = ref Unsafe.Add(ref xc, PlaneStride);");
                            if (!t.HoistWeights)
                            {
                                w.Line($"wc = ref Unsafe.Add(ref wc, {g.Taps});");
                            }
                        }
                    }

                    for (int f = 0; f < t.Filters; f++)
                    {
                        for (int r = 0; r < t.Rows; r++)
                        {
                            string rowOffset = Sum(dims.OutputPlaneOffset(f), r == 0 ? "0" : Mul(r, "OW", dims));
                            w.Line(KernelEmitter.Join(t.Vectors, c => $"{ActivationEmitter.Wrap(g, $"a{f}_{r}_{c}", t.Bits)}.StoreUnsafe(ref yr, (nuint)({Sum("c" + c.ToString(CultureInfo.InvariantCulture), rowOffset)}));"));
                        }
                    }
                }
            }
        }

        w.Line();
    }

    /// <summary>
    /// The unrolled taps of one input channel. Grouped by (input row, kx): output row r reads input row r*SH + ky*DH,
    /// so rows shared by several (r, ky) pairs are loaded once.
    /// </summary>
    private static void WriteTaps(CodeWriter w, LayerGeometry g, KernelDims dims, TileShape t, string v)
    {
        var byInputRow = new SortedDictionary<long, List<(int R, int Ky)>>();
        for (int r = 0; r < t.Rows; r++)
        {
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                long iy = (long)r * g.StrideH + (long)ky * g.DilationH;
                if (!byInputRow.TryGetValue(iy, out List<(int, int)>? users))
                {
                    byInputRow[iy] = users = new List<(int, int)>();
                }

                users.Add((r, ky));
            }
        }

        foreach (KeyValuePair<long, List<(int R, int Ky)>> row in byInputRow)
        {
            string readers = string.Join(", ", row.Value.Select(u => $"r{u.R}/ky{u.Ky}"));
            w.Line($"// Input row +{row.Key}, read by output row/kernel row {readers}.");
            for (int kx = 0; kx < g.KernelW; kx++)
            {
                string offset = dims.Offset(row.Key, kx);
                w.Line(KernelEmitter.Join(t.Vectors, c => $"x{c} = {v}.LoadUnsafe(ref xc, (nuint)({Sum("c" + c.ToString(CultureInfo.InvariantCulture), offset)}));"));
                foreach ((int r, int ky) in row.Value)
                {
                    for (int f = 0; f < t.Filters; f++)
                    {
                        string weight;
                        if (t.HoistWeights)
                        {
                            weight = $"k{ky}_{kx}";
                        }
                        else
                        {
                            w.Line($"k = {v}.Create(Unsafe.Add(ref wc, {dims.WeightOffset(f, ky, kx)}));");
                            weight = "k";
                        }

                        w.Line(KernelEmitter.Join(t.Vectors, c => $"a{f}_{r}_{c} = VectorFma.MultiplyAdd(a{f}_{r}_{c}, x{c}, {weight});"));
                    }
                }
            }
        }
    }

    private static string Sum(string a, string b) => b == "0" ? a : a == "0" ? b : a + " + " + b;

    private static string Mul(int factor, string name, KernelDims dims)
        => dims.IsStatic(name) ? (factor * dims.Value(name)).ToString(CultureInfo.InvariantCulture) : factor == 1 ? name : $"{factor} * {name}";
}
