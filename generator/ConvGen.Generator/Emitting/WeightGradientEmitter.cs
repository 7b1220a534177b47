using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Writes the weight-gradient kernel of a convolution: dW[oc, c, tap] += Σ over images and output positions of
/// dY[oc, pos] · Xpad[c, pos·S + tap·D]. Per (filter, input channel, tap) that is a dot product over output
/// positions, and the kernel runs it as one: a pass of positions at a time, both operands are staged (see the
/// runtime's GradientStaging) so that every output position has one flat index j and every tap's input sits at j plus
/// a constant. Register tiles of filters x taps then accumulate whole vectors of positions, each accumulator reduced
/// to one float once per pass.
/// </summary>
internal static class WeightGradientEmitter
{
    /// <summary>Positions per block of the staged gradient (GradientStaging.Block): the lanes of the widest vector.</summary>
    private const int GradientBlock = 16;

    /// <summary>Writes <c>internal static class {className}</c> in the kernel namespace for convolution geometry <paramref name="g"/>.</summary>
    public static void Emit(CodeWriter w, string className, LayerGeometry g, int[] widths)
    {
        var dims = new Dims(g);
        int coutG = g.HasStaticChannels ? g.OutChannelsPerGroup : 0;
        WeightGradientTile[] tiles = widths.Concat(new[] { 0 })
            .Select(b => WeightGradientTiles.Choose(b, g.PlaneTaps, coutG))
            .ToArray();

        w.Line("namespace " + KernelEmitter.KernelNamespace);
        w.Line("{");
        w.Indent();
        w.Line("using System;");
        w.Line("using System.Runtime.CompilerServices;");
        w.Line("using System.Runtime.InteropServices;");
        w.Line("using System.Runtime.Intrinsics;");
        w.Line("using ConvGen.Internal;");
        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// Weight gradient of the convolution whose forward kernel is <c>{LayerEmitter.Xml(className.Replace("_WeightGradient", "_Kernel"))}</c>: adds to");
        w.Line("/// weightGradient[oc, c, kd, kh, kw] the sum over images and output positions of outputGradient[n, oc, od, oh, ow] times");
        w.Line("/// the zero-padded input at [n, g*CinG + c, od*SD - front + kd*DD, oh*SH - top + kh*DH, ow*SW - left + kw*DW].");
        w.Line("/// </summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"ConvGen\", \"%VERSION%\")]");
        w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
        w.Line("[global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]");
        using (w.Block($"internal static class {className}"))
        {
            WriteConstants(w, g, dims, tiles);
            WriteRun(w, g, dims, tiles);
            foreach (WeightGradientTile tile in tiles)
            {
                WriteGroup(w, g, dims, tile);
                foreach (int filters in FilterCounts(g, tile))
                {
                    bool runtimeBlock = filters != tile.Filters && !g.HasStaticChannels;
                    foreach ((int first, int count) in tile.Chunks)
                    {
                        WriteTile(w, g, dims, tile, filters, first, count, runtimeBlock);
                    }
                }
            }
        }

        w.Outdent();
        w.Line("}");
    }

    /// <summary>The tile's filter count, then the remainder's: CoutG mod F when channels are static, single filters otherwise.</summary>
    private static IEnumerable<int> FilterCounts(LayerGeometry g, WeightGradientTile tile)
    {
        yield return tile.Filters;
        int rest = g.HasStaticChannels ? g.OutChannelsPerGroup % tile.Filters : tile.Filters > 1 ? 1 : 0;
        if (rest > 0)
        {
            yield return rest;
        }
    }

    private static string Suffix(WeightGradientTile t) => t.Bits == 0 ? "Scalar" : "V" + t.Bits.ToString(CultureInfo.InvariantCulture);

    private static string TileName(WeightGradientTile t, int filters, int first, int count)
        => $"Tile{filters}_Taps{first}to{first + count - 1}_{Suffix(t)}";

    /// <summary>The sizes every method below Run takes: the run-time ones of <see cref="Dims"/> and the pass's staging strides.</summary>
    private const string PassParameters = ", nint PhaseStride, nint XChannel";

    private const string PassArguments = ", PhaseStride, XChannel";

    private static void WriteConstants(CodeWriter w, LayerGeometry g, Dims dims, WeightGradientTile[] tiles)
    {
        w.Line("// Each weight's gradient is a dot product over output positions. Every output position of the batch has one");
        w.Line("// flat index j, and a pass of a few thousand positions is staged at a time so that the input that tap t meets");
        w.Line("// at j sits at j + offset(t) (the zero-padded input split into stride phases, see GradientStaging). A tile of");
        w.Line("// filters x taps keeps one vector accumulator per (filter, tap) in registers over the pass: per vector of");
        w.Line("// positions one gradient load per filter and one input load per tap feed filters x taps multiply-adds, and each");
        w.Line("// accumulator is reduced to one float once per pass. A pass is as long as keeps the tile's gradient, reread for");
        w.Line("// every input channel and tap chunk, in L1.");
        foreach (WeightGradientTile t in tiles)
        {
            w.Line($"//   {(t.Bits == 0 ? "scalar" : "Vector" + t.Bits.ToString(CultureInfo.InvariantCulture))}: {t.Why}");
        }

        w.Line("// Geometry, baked in.");
        w.Line($"private const int KD = {g.KernelD}, KH = {g.KernelH}, KW = {g.KernelW}, SD = {g.StrideD}, SH = {g.StrideH}, SW = {g.StrideW}, DD = {g.DilationD}, DH = {g.DilationH}, DW = {g.DilationW}, Groups = {g.Groups};");
        w.Line($"private const int Taps = {g.Taps}, PlaneTaps = {g.PlaneTaps}; // weights per filter and input channel; per depth tap");
        foreach (string line in dims.ConstDeclarations())
        {
            w.Line(line);
        }

        w.Line();
    }

    private static void WriteRun(CodeWriter w, LayerGeometry g, Dims dims, WeightGradientTile[] tiles)
    {
        w.Line("/// <summary>");
        w.Line("/// Adds the batch's weight gradient to <paramref name=\"weightGradient\"/> (OIDHW, PyTorch's layout) given the input, the");
        w.Line("/// gradient of the loss with respect to the convolution's output (the caller applies any activation's derivative");
        w.Line("/// first) and the pads resolved for this input; shapes are checked by the caller. Does not touch the bias.");
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block("public static void Run(ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> outputGradient, TensorShape o, Span<float> weightGradient, global::ConvGen.Internal.Pads pads)"))
        {
            foreach (string line in dims.RuntimeDeclarations())
            {
                w.Line(line);
            }

            w.Line("// The path's filters per tile (the staged gradient's tiling) and positions per pass. Each IsHardwareAccelerated");
            w.Line("// is a JIT/AOT-time constant: only one branch survives compilation, here and in the dispatch below.");
            w.Line("int tile, positions;");
            string chain = "if";
            foreach (WeightGradientTile t in tiles)
            {
                string set = $"{{ tile = {t.Filters}; positions = {t.Positions}; }}";
                w.Line(t.Bits == 0 ? $"else {set}" : $"{chain} (Vector{t.Bits}.IsHardwareAccelerated) {set}");
                chain = "else if";
            }

            int phases = g.StrideD * g.StrideH * g.StrideW;
            w.Line("// Input rows a pass stages: its positions, a vector past them, the furthest tap's reach, and partial rows at both ends.");
            w.Line("int passRows = (int)((positions + 16 + Reach) / PW + 2);");
            w.Line("nint PhaseStride = (passRows * (nint)PW + 15) / 16 * 16; // floats per stride phase of a staged input channel");
            w.Line($"nint XChannel = {phases} * PhaseStride; // floats per staged input channel: {phases} stride phase(s)");
            w.Line("int xFloats = checked(CinG * (int)XChannel), yFloats = checked(CoutG * positions);");
            w.Line("// One scratch span for both stagings (Scratch hands out one span per thread).");
            w.Line("Span<float> scratch = Scratch.Get(checked(xFloats + yFloats));");
            w.Line("Span<float> xs = scratch.Slice(0, xFloats), ys = scratch.Slice(xFloats, yFloats);");
            w.Line("ref float x0 = ref MemoryMarshal.GetReference(xs);");
            w.Line("ref float y0 = ref MemoryMarshal.GetReference(ys);");
            w.Line("ref float w0 = ref MemoryMarshal.GetReference(weightGradient);");
            w.Line("nint end = (s.N - 1) * Image + (OD - 1) * Plane + (OH - 1) * (nint)PW + OW; // one past the batch's last output position");
            using (w.Block("for (int g = 0; g < Groups; g++)"))
            {
                w.Line("ref float wg = ref Unsafe.Add(ref w0, g * CoutG * WOc);");
                using (w.Block("for (nint j0 = 0; j0 < end; j0 += positions)"))
                {
                    w.Line("nint j1 = Math.Min(end, j0 + positions);");
                    w.Line("nint row0 = j0 / PW; // the pass's first staged row");
                    using (w.Block("for (int c = 0; c < CinG; c++)"))
                    {
                        w.Line("GradientStaging.StageInput(input, s, g * CinG + c, pads, SD, SH, SW, PD, PH, PW, row0, passRows, (int)PhaseStride, xs.Slice(c * (int)XChannel, (int)XChannel));");
                    }

                    w.Line("GradientStaging.StageOutputGradient(outputGradient, o, g * CoutG, CoutG, tile, PD, PH, PW, j0, j1, positions, ys);");
                    w.Line("// The tiles count positions from j0, which is column j0 - row0 * PW of the first staged row.");
                    w.Line("ref float xp = ref Unsafe.Add(ref x0, j0 - row0 * PW);");
                    string keyword = "if";
                    foreach (WeightGradientTile t in tiles)
                    {
                        if (t.Bits == 0)
                        {
                            w.Line("else");
                        }
                        else
                        {
                            w.Line($"{keyword} (Vector{t.Bits}.IsHardwareAccelerated)");
                            keyword = "else if";
                        }

                        w.Line("{");
                        w.Line($"    Group_{Suffix(t)}(ref xp, ref y0, ref wg, j1 - j0{dims.Arguments()}{PassArguments});");
                        w.Line("}");
                    }
                }
            }
        }

        w.Line();
    }

    private static void WriteGroup(CodeWriter w, LayerGeometry g, Dims dims, WeightGradientTile t)
    {
        int[] counts = FilterCounts(g, t).ToArray();
        string rest = counts.Length == 1 ? "" : g.HasStaticChannels ? $", then {counts[1]}" : ", then single filters";
        w.Line($"/// <summary>One pass of one group{(t.Bits == 0 ? " without SIMD" : " with Vector" + t.Bits.ToString(CultureInfo.InvariantCulture))}: tiles of {t.Filters} filter(s){rest}; per tile every input channel{(g.KernelD > 1 ? ", depth tap" : "")} and tap chunk.</summary>");
        using (w.Block($"private static void Group_{Suffix(t)}(ref float x, ref float y, ref float dw, nint count{dims.Parameters()}{PassParameters})"))
        {
            w.Line("int oc = 0;");
            using (w.Block($"for (; oc + {t.Filters} <= CoutG; oc += {t.Filters})"))
            {
                w.Line($"ref float yt = ref Unsafe.Add(ref y, oc * {t.Positions}); // the tile's staged gradient: blocks of {GradientBlock} positions x {t.Filters} filter(s)");
                WriteChannelLoop(w, g, dims, t, t.Filters, "");
            }

            if (counts.Length > 1 && g.HasStaticChannels)
            {
                using (w.Block($"if (oc < CoutG) // the {counts[1]} filter(s) after the full tiles"))
                {
                    w.Line($"ref float yt = ref Unsafe.Add(ref y, oc * {t.Positions}); // blocks of {GradientBlock} positions x {counts[1]} filter(s)");
                    WriteChannelLoop(w, g, dims, t, counts[1], "");
                }
            }
            else if (counts.Length > 1)
            {
                w.Line($"nint yBlock = (CoutG - oc) * (nint){GradientBlock}; // the last staged tile holds the filters after the full tiles");
                using (w.Block("for (int f = 0; oc < CoutG; oc++, f++) // those filters one at a time"))
                {
                    w.Line($"ref float yt = ref Unsafe.Add(ref y, (oc - f) * {t.Positions} + f * {GradientBlock});");
                    WriteChannelLoop(w, g, dims, t, counts[1], ", yBlock");
                }
            }
        }

        w.Line();
    }

    private static void WriteChannelLoop(CodeWriter w, LayerGeometry g, Dims dims, WeightGradientTile t, int filters, string extra)
    {
        using (w.Block("for (int c = 0; c < CinG; c++)"))
        {
            w.Line("ref float xc = ref Unsafe.Add(ref x, c * XChannel);");
            w.Line("ref float wc = ref Unsafe.Add(ref dw, oc * WOc + c * Taps);");
            string xRef = "xc", wRef = "wc";
            if (g.KernelD > 1)
            {
                w.Line("for (int kd = 0; kd < KD; kd++)");
                w.Line("{");
                w.Indent();
                w.Line("// Depth tap kd reads depth phase kd*DD mod SD, kd*DD / SD planes in.");
                w.Line("ref float xd = ref Unsafe.Add(ref xc, kd * DD % SD * (SH * SW * PhaseStride) + kd * DD / SD * Plane);");
                w.Line("ref float wd = ref Unsafe.Add(ref wc, kd * PlaneTaps);");
                (xRef, wRef) = ("xd", "wd");
            }

            foreach ((int first, int count) in t.Chunks)
            {
                w.Line($"{TileName(t, filters, first, count)}(ref yt, ref {xRef}, ref {wRef}, count{dims.Arguments()}{PassArguments}{extra});");
            }

            if (g.KernelD > 1)
            {
                w.Outdent();
                w.Line("}");
            }
        }
    }

    /// <summary>
    /// One tile: <paramref name="filters"/> filters x plane taps first..first+count-1 over the pass's positions, then each
    /// accumulator's lanes added to its weight's gradient.
    /// </summary>
    private static void WriteTile(CodeWriter w, LayerGeometry g, Dims dims, WeightGradientTile t, int filters, int first, int count, bool runtimeBlock)
    {
        bool scalar = t.Bits == 0;
        int lanes = t.Lanes;
        string v = scalar ? "" : $"Vector{t.Bits}";
        string vf = scalar ? "float" : $"Vector{t.Bits}<float>";
        string zero = scalar ? "0f" : $"{vf}.Zero";
        int[] taps = Enumerable.Range(first, count).ToArray();
        string block = runtimeBlock ? "yBlock" : (filters * GradientBlock).ToString(CultureInfo.InvariantCulture);
        string tapList = string.Join(", ", taps.Select(k => $"({k / g.KernelW},{k % g.KernelW})"));
        w.Line($"/// <summary>{filters} filter(s) x taps (kh,kw) {tapList} = {filters * count} accumulator(s), {(scalar ? "one position" : $"{lanes} positions")} per step.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void {TileName(t, filters, first, count)}(ref float y, ref float x, ref float dw, nint count{dims.Parameters()}{PassParameters}{(runtimeBlock ? ", nint yBlock" : "")})"))
        {
            for (int f = 0; f < filters; f++)
            {
                w.Line($"{vf} " + string.Join(", ", taps.Select(k => $"a{f}_{k} = {zero}")) + ";");
            }

            // Taps whose offsets differ by a literal share one base, so the literal folds into the load's address.
            var bases = new List<string>();
            var loads = new Dictionary<int, (string Base, long Literal)>();
            foreach (int k in taps)
            {
                (string symbolic, long literal) = dims.TapOffset(k / g.KernelW, k % g.KernelW);
                string baseRef = "x";
                if (symbolic.Length > 0)
                {
                    int index = bases.IndexOf(symbolic);
                    if (index < 0)
                    {
                        bases.Add(symbolic);
                        index = bases.Count - 1;
                        w.Line($"ref float x{index} = ref Unsafe.Add(ref x, {symbolic});");
                    }

                    baseRef = "x" + index.ToString(CultureInfo.InvariantCulture);
                }

                loads[k] = (baseRef, literal);
            }

            string header = lanes == GradientBlock
                ? $"for (nint j = 0, yj = 0; j < count; j += {lanes}, yj += {block})"
                : $"for (nint j = 0; j < count; j += {lanes})";
            using (w.Block(header))
            {
                if (lanes != GradientBlock)
                {
                    w.Line($"nint yj = (j >> 4) * {block} + (j & 15); // position j of the tile's first filter");
                }

                string LoadX(int k)
                {
                    (string b, long lit) = loads[k];
                    string index = lit == 0 ? "j" : "j + " + lit.ToString(CultureInfo.InvariantCulture);
                    return scalar ? $"Unsafe.Add(ref {b}, {index})" : $"{v}.LoadUnsafe(ref {b}, (nuint)({index}))";
                }

                string LoadY(int f)
                {
                    string index = f == 0 ? "yj" : $"yj + {f * GradientBlock}";
                    return scalar ? $"Unsafe.Add(ref y, {index})" : $"{v}.LoadUnsafe(ref y, (nuint)({index}))";
                }

                string Fma(string acc, string d, string x)
                    => scalar ? $"{acc} += {d} * {x};" : $"{acc} = VectorFma.MultiplyAdd({acc}, {d}, {x});";

                if (filters <= count)
                {
                    // Gradient vectors live across all taps; each input vector feeds every filter.
                    w.Line($"{vf} " + string.Join(", ", Enumerable.Range(0, filters).Select(f => $"d{f} = {LoadY(f)}")) + ";");
                    w.Line($"{vf} v;");
                    foreach (int k in taps)
                    {
                        w.Line($"v = {LoadX(k)}; // tap ({k / g.KernelW},{k % g.KernelW})");
                        w.Line(KernelEmitter.Join(filters, f => Fma($"a{f}_{k}", $"d{f}", "v")));
                    }
                }
                else
                {
                    // Input vectors live across all filters; each gradient vector feeds every tap.
                    w.Line($"{vf} " + string.Join(", ", taps.Select(k => $"v{k} = {LoadX(k)}")) + ";");
                    w.Line($"{vf} d;");
                    for (int f = 0; f < filters; f++)
                    {
                        w.Line($"d = {LoadY(f)};");
                        w.Line(string.Join(" ", taps.Select(k => Fma($"a{f}_{k}", "d", $"v{k}"))));
                    }
                }
            }

            for (int f = 0; f < filters; f++)
            {
                w.Line(string.Join(" ", taps.Select(k =>
                {
                    string sum = scalar ? $"a{f}_{k}" : $"GradientStaging.Sum(a{f}_{k})";
                    return $"Unsafe.Add(ref dw, {dims.WeightOffset(f, k)}) += {sum};";
                })));
            }
        }

        w.Line();
    }

    /// <summary>
    /// The sizes the kernel refers to by name: a class const when the attribute fixes it, otherwise a local of Run
    /// passed on to the methods that use it.
    /// </summary>
    private sealed class Dims
    {
        private readonly List<(string Type, string Name, long? Value, string Expression, string Why)> _dims = new();

        public Dims(LayerGeometry g)
        {
            G = g;
            long? od = g.Dimensions < 3 ? 1 : g.HasStaticDepth ? g.OutD : null;
            long? oh = g.HasStaticHeight ? g.OutH : null;
            long? ow = g.HasStaticWidth ? g.OutW : null;
            long reachD = (long)(g.KernelD - 1) * g.DilationD / g.StrideD;
            long reachH = (long)(g.KernelH - 1) * g.DilationH / g.StrideH;
            long reachW = (long)(g.KernelW - 1) * g.DilationW / g.StrideW;
            long? pd = od + reachD, ph = oh + reachH, pw = ow + reachW;
            long? plane = ph * pw, image = pd * plane;
            long? reach = reachD * plane + reachH * pw + reachW;
            bool c = g.HasStaticChannels;

            Add("int", "OD", od, "o.D", "output depth");
            Add("int", "OH", oh, "o.H", "output height");
            Add("int", "OW", ow, "o.W", "output width");
            Add("int", "PD", pd, Plus("OD", reachD), "planes per staged image: OD + (KD-1)*DD/SD, the deepest in-phase depth tap");
            Add("int", "PH", ph, Plus("OH", reachH), "rows per staged plane: OH + (KH-1)*DH/SH");
            Add("int", "PW", pw, Plus("OW", reachW), "columns per staged row: OW + (KW-1)*DW/SW");
            Add("nint", "Plane", plane, "PH * (nint)PW", "positions per staged plane");
            Add("nint", "Image", image, "PD * Plane", "positions per staged image");
            Add("nint", "Reach", reach, $"{reachD} * Plane + {reachH} * (nint)PW + {reachW}",
                "the furthest in-phase tap offset: (KD-1)*DD/SD planes, (KH-1)*DH/SH rows and (KW-1)*DW/SW columns");
            Add("int", "CinG", c ? g.InChannelsPerGroup : null, $"s.C / {g.Groups}", "input channels per group");
            Add("int", "CoutG", c ? g.OutChannelsPerGroup : null, $"o.C / {g.Groups}", "output channels (filters) per group");
            Add("int", "WOc", c ? (long)g.InChannelsPerGroup * g.Taps : null, $"CinG * {g.Taps}", "weights per filter: CinG * Taps");
        }

        public LayerGeometry G { get; }

        private static string Plus(string name, long value) => value == 0 ? name : $"{name} + {value.ToString(CultureInfo.InvariantCulture)}";

        private void Add(string type, string name, long? value, string expression, string why)
            => _dims.Add((type, name, value, expression, why));

        public IEnumerable<string> ConstDeclarations()
        {
            foreach (var d in _dims)
            {
                if (d.Value is long v)
                {
                    yield return $"private const {d.Type} {d.Name} = {v.ToString(CultureInfo.InvariantCulture)}; // {d.Why}";
                }
            }
        }

        public IEnumerable<string> RuntimeDeclarations()
        {
            foreach (var d in _dims)
            {
                if (d.Value is null)
                {
                    yield return $"{d.Type} {d.Name} = {d.Expression}; // {d.Why}";
                }
            }
        }

        /// <summary>", int PW, ..." for the run-time sizes the methods below Run use.</summary>
        public string Parameters() => string.Concat(Passed().Select(d => $", {d.Type} {d.Name}"));

        /// <summary>", PW, ..." matching <see cref="Parameters"/>.</summary>
        public string Arguments() => string.Concat(Passed().Select(d => $", {d.Name}"));

        private IEnumerable<(string Type, string Name, long? Value, string Expression, string Why)> Passed()
            => _dims.Where(d => d.Value is null && d.Name is "PW" or "Plane" or "CinG" or "CoutG" or "WOc");

        private long? Value(string name) => _dims.First(d => d.Name == name).Value;

        /// <summary>
        /// The offset of plane tap (ky, kx) from position j in a staged channel: its stride phase, ky*DH / SH rows and
        /// kx*DW / SW columns in; split into the part named by run-time sizes and a literal.
        /// </summary>
        public (string Symbolic, long Literal) TapOffset(int ky, int kx)
        {
            long phase = (long)(ky * G.DilationH % G.StrideH) * G.StrideW + kx * G.DilationW % G.StrideW;
            long rows = (long)ky * G.DilationH / G.StrideH;
            long literal = (long)kx * G.DilationW / G.StrideW;
            var terms = new List<string>();
            if (phase > 0)
            {
                terms.Add(phase == 1 ? "PhaseStride" : $"{phase} * PhaseStride");
            }

            if (rows > 0)
            {
                if (Value("PW") is long pw)
                {
                    literal += rows * pw;
                }
                else
                {
                    terms.Add(rows == 1 ? "(nint)PW" : $"{rows} * (nint)PW");
                }
            }

            return (string.Join(" + ", terms), literal);
        }

        /// <summary>Offset of the gradient of filter f of the tile, tap k, from the tile's first weight at the channel.</summary>
        public string WeightOffset(int f, int k)
        {
            if (f == 0)
            {
                return k.ToString(CultureInfo.InvariantCulture);
            }

            if (Value("WOc") is long woc)
            {
                return (f * woc + k).ToString(CultureInfo.InvariantCulture);
            }

            string scaled = f == 1 ? "WOc" : $"{f} * WOc";
            return k == 0 ? scaled : $"{scaled} + {k}";
        }
    }
}
