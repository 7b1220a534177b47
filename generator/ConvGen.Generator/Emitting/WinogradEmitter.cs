using System.Linq;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Planning;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Writes the Winograd F(4x4, 3x3) part of a kernel: a driver that walks (image, block of tile rows), the weight
/// packing entry point, and per vector width the 36 GEMMs of a block as register tiles of filters x vectors of tiles.
/// The transforms themselves are the runtime's <c>WinogradF43</c>: they are the same for every geometry.
/// </summary>
internal static class WinogradEmitter
{
    public static void WriteDriver(CodeWriter w, KernelPlan plan)
    {
        LayerGeometry g = plan.Geometry;
        WinogradPlan p = plan.Winograd!;
        int[] widths = plan.VectorWidths.ToArray();
        w.Line("// Winograd F(4x4,3x3): the grid of 4x4 output tiles and its blocks of whole tile rows.");
        w.Line($"private const int TY = {p.TilesY}, TX = {p.TilesX}; // tile rows and columns: ceil(OH / 4), ceil(OW / 4)");
        w.Line($"private const int BlockRows = {p.BlockRows}, SharedBlockRows = {p.SharedBlockRows}; // tile rows per block on one thread ({p.BlockTiles} tiles) and on several");
        w.Line($"private const int BS = {BlockStride(p.BlockTiles)}; // floats per transformed row of a block: its tiles rounded up to 16, plus 16 for vector overrun");
        w.Line($"private const int StagedLength = {Staged(p)}; // (4*BlockRows + 2) padded rows and a work row, x 4 column phases of ceil16(TX + 1)");
        w.Line($"private const int VPoint = {PointStride(g.InChannels * BlockStride(p.BlockTiles))}; // floats per point of V: Cin * BS, plus a cache line when that keeps points out of one L1 set");
        w.Line("private const int VLength = 36 * VPoint; // transformed input of a block: [point][input channel][tile]");
        foreach (int bits in widths)
        {
            (int f, _) = WinogradPlanner.GemmTile(bits, p);
            w.Line($"private const int F{bits} = {f}, OcP{bits} = {Padded(g.OutChannels, f)}, MPoint{bits} = {PointStride(Padded(g.OutChannels, f) * BlockStride(p.BlockTiles))}; // Vector{bits} GEMM: filters per tile, filters padded to whole tiles, floats per point of M");
        }

        w.Line($"private const int MLength = 36 * {widths.Max(b => PointStride(Padded(g.OutChannels, WinogradPlanner.GemmTile(b, p).Filters) * BlockStride(p.BlockTiles)))}; // GEMM output of a block: [point][filter][tile]");
        w.Line();

        w.Line("/// <summary>The transformed weights for the vector path this process runs, recomputed only when the weights changed.</summary>");
        using (w.Block("public static float[] Pack(float[] weights, ref float[]? packed, ref float[]? source)"))
        {
            foreach (int bits in widths)
            {
                w.Line($"if (Vector{bits}.IsHardwareAccelerated) return WinogradF43.Pack(weights, Cout, Cin, F{bits}, ref packed, ref source);");
            }

            w.Line("return Array.Empty<float>(); // no SIMD: the direct scalar kernel reads the weights as they are");
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Runs part <paramref name=\"part\"/> of <paramref name=\"parts\"/> of the layer on a checked input. The work items are");
        w.Line("/// (image, block of tile rows) in order; per item: stage and transform every input channel, 36 GEMMs, and the");
        w.Line("/// output transform of every filter, all in the calling thread's scratch, so parts share nothing but the packed weights.");
        w.Line("/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block("public static void Run(ReadOnlySpan<float> input, TensorShape s, Span<float> output, TensorShape o, float[] weights, float[] packed, float[] bias, int part, int parts)"))
        {
            using (w.Block("if (!Vector128.IsHardwareAccelerated)"))
            {
                w.Line("RunDirect(input, s, output, o, weights, bias, part, parts);");
                w.Line("return;");
            }

            w.Line();
            w.Line("const int inPlane = H * W, inImage = Cin * inPlane, outPlane = OH * OW, outImage = Cout * outPlane;");
            w.Line("// Several parts: L2-sized blocks, and at least as many items as parts (one image is cut into more blocks).");
            w.Line("// Every part computes the same cut. (Splitting the filters instead, so that each core holds half of large");
            w.Line("// transformed weights, measured slower: every part then transforms the whole input.)");
            w.Line("int blockRows = parts > 1 ? SharedBlockRows : BlockRows, blocks = (TY + blockRows - 1) / blockRows;");
            using (w.Block("if (s.N * blocks < parts)"))
            {
                w.Line("blocks = Math.Min(TY, (parts + s.N - 1) / s.N);");
            }

            w.Line("int items = s.N * blocks;");
            w.Line("int item = (int)((long)items * part / parts), last = (int)((long)items * (part + 1) / parts);");
            w.Line("Span<float> scratch = Scratch.Get(StagedLength + VLength + MLength);");
            w.Line("Span<float> staged = scratch.Slice(0, StagedLength), v = scratch.Slice(StagedLength, VLength), m = scratch.Slice(StagedLength + VLength, MLength);");
            w.Line("ref float u0 = ref MemoryMarshal.GetArrayDataReference(packed);");
            using (w.Block("for (; item < last; item++)"))
            {
                w.Line("// Blocks differ by at most one tile row, so that parts with equal item counts get equal work.");
                w.Line("int n = item / blocks, block = item % blocks, ty0 = TY * block / blocks;");
                w.Line("int rows = TY * (block + 1) / blocks - ty0, tiles = rows * TX;");
                w.Line("ReadOnlySpan<float> image = input.Slice(n * inImage, inImage);");
                using (w.Block("for (int ic = 0; ic < Cin; ic++)"))
                {
                    w.Line("WinogradF43.Stage(image.Slice(ic * inPlane, inPlane), H, W, PH, PW, 4 * ty0, rows, TX, staged);");
                    PerWidth(w, widths, b => $"InputTransform_V{b}(ref MemoryMarshal.GetReference(staged), ref Unsafe.Add(ref MemoryMarshal.GetReference(v), ic * BS), rows);");
                }

                w.Line();
                PerWidth(w, widths, b => $"Gemm_V{b}(ref MemoryMarshal.GetReference(v), ref u0, ref MemoryMarshal.GetReference(m), (tiles + {b / 32 - 1}) / {b / 32});");
                w.Line();
                w.Line("ref float y0 = ref MemoryMarshal.GetReference(output.Slice(n * outImage, outImage));");
                using (w.Block("for (int oc = 0; oc < Cout; oc++)"))
                {
                    PerWidth(w, widths, b => $"OutputTransform_V{b}(ref Unsafe.Add(ref MemoryMarshal.GetReference(m), oc * BS), ref Unsafe.Add(ref y0, oc * outPlane), ty0, rows, {(g.HasBias ? "bias[oc]" : "0f")});");
                }
            }
        }

        w.Line();
    }

    private static void PerWidth(CodeWriter w, int[] widths, System.Func<int, string> call)
    {
        for (int i = 0; i < widths.Length; i++)
        {
            w.Line($"{(i == 0 ? "if" : "else if")} (Vector{widths[i]}.IsHardwareAccelerated) {call(widths[i])}");
        }
    }

    public static void WriteGemms(CodeWriter w, KernelPlan plan)
    {
        foreach (int bits in plan.VectorWidths)
        {
            WriteInputTransform(w, plan, bits);
            WriteOutputTransform(w, plan, bits);
            WriteGemm(w, bits, plan.Winograd!);
            (int f, int vectors) = WinogradPlanner.GemmTile(bits, plan.Winograd!);
            for (int v = vectors; v >= 1; v--)
            {
                WriteTile(w, bits, f, v);
            }
        }
    }

    private static void WriteGemm(CodeWriter w, int bits, WinogradPlan p)
    {
        (int f, int vectors) = WinogradPlanner.GemmTile(bits, p);
        int lanes = bits / 32;
        w.Line($"/// <summary>");
        w.Line($"/// The 36 GEMMs of a block with Vector{bits}: M[point] = U[point] x V[point], over tiles of {f} filters x up to {vectors}");
        w.Line($"/// vectors of {lanes} tiles. One point's V (4*VPoint bytes) stays in L1 while every filter tile reads it.");
        w.Line($"/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void Gemm_V{bits}(ref float v0, ref float u0, ref float m0, int vectors)"))
        {
            using (w.Block("for (int point = 0; point < 36; point++)"))
            {
                w.Line("ref float vp = ref Unsafe.Add(ref v0, point * VPoint);");
                w.Line($"ref float up = ref Unsafe.Add(ref u0, point * (OcP{bits} * Cin));");
                w.Line($"ref float mp = ref Unsafe.Add(ref m0, point * MPoint{bits});");
                using (w.Block($"for (int oc = 0; oc < OcP{bits}; oc += F{bits})"))
                {
                    w.Line("ref float ut = ref Unsafe.Add(ref up, oc * Cin);");
                    w.Line("ref float mt = ref Unsafe.Add(ref mp, oc * BS);");
                    w.Line("int c = 0;");
                    w.Line($"for (; c + {vectors} <= vectors; c += {vectors}) {TileName(bits, f, vectors)}(ref Unsafe.Add(ref vp, c * {lanes}), ref ut, ref Unsafe.Add(ref mt, c * {lanes}));");
                    if (vectors > 1)
                    {
                        w.Line("switch (vectors - c)");
                        w.Line("{");
                        w.Indent();
                        for (int v = vectors - 1; v >= 1; v--)
                        {
                            w.Line($"case {v}: {TileName(bits, f, v)}(ref Unsafe.Add(ref vp, c * {lanes}), ref ut, ref Unsafe.Add(ref mt, c * {lanes})); break;");
                        }

                        w.Outdent();
                        w.Line("}");
                    }
                }
            }
        }

        w.Line();
    }

    private static void WriteInputTransform(CodeWriter w, KernelPlan plan, int bits)
    {
        WinogradPlan p = plan.Winograd!;
        int lanes = bits / 32, phase = Phase(p), points = PointStride(plan.Geometry.InChannels * BlockStride(p.BlockTiles));
        string vec = $"Vector{bits}<float>";
        string load(int k, int l) => $"Vector{bits}.LoadUnsafe(ref d, {k * 4 * phase + l % 4 * phase + l / 4})";
        w.Line($"/// <summary>");
        w.Line($"/// V = B^T d B with Vector{bits} for every tile of one staged input channel: lanes are {lanes} neighbouring tiles of");
        w.Line($"/// a tile row; each of the six columns of d B is formed per input row, then transformed down the column.");
        w.Line($"/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void InputTransform_V{bits}(ref float s, ref float v, int rows)"))
        {
            w.Line($"{vec} four = Vector{bits}.Create(4f), minusFour = Vector{bits}.Create(-4f), minusFive = Vector{bits}.Create(-5f), two = Vector{bits}.Create(2f);");
            using (w.Block("for (int tr = 0; tr < rows; tr++)"))
            {
                using (w.Block($"for (int j = 0; j < TX; j += {lanes})"))
                {
                    w.Line($"ref float d = ref Unsafe.Add(ref s, tr * {16 * phase} + j); // staged row 4*tr, phase 0, tile j");
                    w.Line("ref float o = ref Unsafe.Add(ref v, tr * TX + j);");
                    w.Line($"{vec} a, b, " + string.Join(", ", Enumerable.Range(0, 6).Select(k => $"p{k}, q{k}")) + ";");
                    w.Line("// Column 0 of each row's B^T: 4 d0 - 5 d2 + d4.");
                    for (int k = 0; k < 6; k++)
                    {
                        w.Line($"p{k} = VectorFma.MultiplyAdd(VectorFma.MultiplyAdd({load(k, 4)}, {load(k, 2)}, minusFive), {load(k, 0)}, four);");
                    }

                    Column(w, "p", 0, points);
                    w.Line("// Columns 1 and 2: (d4 - 4 d2) +- (d3 - 4 d1).");
                    for (int k = 0; k < 6; k++)
                    {
                        w.Line($"a = VectorFma.MultiplyAdd({load(k, 4)}, {load(k, 2)}, minusFour); b = VectorFma.MultiplyAdd({load(k, 3)}, {load(k, 1)}, minusFour); p{k} = a + b; q{k} = a - b;");
                    }

                    Column(w, "p", 1, points);
                    Column(w, "q", 2, points);
                    w.Line("// Columns 3 and 4: (d4 - d2) +- 2 (d3 - d1).");
                    for (int k = 0; k < 6; k++)
                    {
                        w.Line($"a = {load(k, 4)} - {load(k, 2)}; b = two * ({load(k, 3)} - {load(k, 1)}); p{k} = a + b; q{k} = a - b;");
                    }

                    Column(w, "p", 3, points);
                    Column(w, "q", 4, points);
                    w.Line("// Column 5: 4 d1 - 5 d3 + d5.");
                    for (int k = 0; k < 6; k++)
                    {
                        w.Line($"p{k} = VectorFma.MultiplyAdd(VectorFma.MultiplyAdd({load(k, 5)}, {load(k, 3)}, minusFive), {load(k, 1)}, four);");
                    }

                    Column(w, "p", 5, points);
                }
            }

            w.Line();
            w.Line("// The GEMM reads whole vectors up to the next multiple of the lanes: tiles no row wrote must hold numbers");
            w.Line("// (uninitialized scratch could hold denormals, which slow every multiply-add they meet).");
            w.Line($"int written = (rows - 1) * TX + (TX + {lanes - 1}) / {lanes} * {lanes}, read = (rows * TX + {lanes - 1}) / {lanes} * {lanes};");
            using (w.Block("for (int point = 0; written < read && point < 36; point++)"))
            {
                w.Line($"MemoryMarshal.CreateSpan(ref Unsafe.Add(ref v, point * {points} + written), read - written).Clear();");
            }
        }

        w.Line();
    }

    /// <summary>B^T down one column (t0..t5 of the named set), stored as points (m, i) for m = 0..5.</summary>
    private static void Column(CodeWriter w, string t, int i, int pointStride)
    {
        string store(string value, int m) => $"({value}).StoreUnsafe(ref o, {(m * 6 + i) * pointStride});";
        w.Line(store($"VectorFma.MultiplyAdd(VectorFma.MultiplyAdd({t}4, {t}2, minusFive), {t}0, four)", 0));
        w.Line($"a = VectorFma.MultiplyAdd({t}4, {t}2, minusFour); b = VectorFma.MultiplyAdd({t}3, {t}1, minusFour);");
        w.Line(store("a + b", 1) + " " + store("a - b", 2));
        w.Line($"a = {t}4 - {t}2; b = two * ({t}3 - {t}1);");
        w.Line(store("a + b", 3) + " " + store("a - b", 4));
        w.Line(store($"VectorFma.MultiplyAdd(VectorFma.MultiplyAdd({t}5, {t}3, minusFive), {t}1, four)", 5));
    }

    private static void WriteOutputTransform(CodeWriter w, KernelPlan plan, int bits)
    {
        WinogradPlan p = plan.Winograd!;
        int lanes = bits / 32;
        string vec = $"Vector{bits}<float>";
        (int f, _) = WinogradPlanner.GemmTile(bits, p);
        int points = PointStride(Padded(plan.Geometry.OutChannels, f) * BlockStride(p.BlockTiles));
        w.Line($"/// <summary>");
        w.Line($"/// Y = A^T M A + bias with Vector{bits} for every tile of one filter: lanes are {lanes} neighbouring tiles, each row's");
        w.Line($"/// four column phases are interleaved back into NCHW order, and rows and columns past the output's edge are dropped.");
        w.Line($"/// </summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void OutputTransform_V{bits}(ref float m, ref float y, int ty0, int rows, float bias)"))
        {
            w.Line($"{vec} b0 = Vector{bits}.Create(bias), two = Vector{bits}.Create(2f), four = Vector{bits}.Create(4f), eight = Vector{bits}.Create(8f);");
            using (w.Block("for (int tr = 0; tr < rows; tr++)"))
            {
                w.Line("int valid = Math.Min(4, OH - 4 * (ty0 + tr));");
                using (w.Block($"for (int j = 0; j < TX; j += {lanes})"))
                {
                    w.Line("ref float src = ref Unsafe.Add(ref m, tr * TX + j);");
                    w.Line($"{vec} a, b, c, d;");
                    w.Line("// Along each point row: s_pc = A^T row c applied to M[p, 0..5].");
                    for (int row = 0; row < 6; row++)
                    {
                        string mi(int i) => $"Vector{bits}.LoadUnsafe(ref src, {(row * 6 + i) * points})";
                        w.Line($"{vec} m{row}0 = {mi(0)}, m{row}5 = {mi(5)};");
                        w.Line($"a = {mi(1)}; b = {mi(2)}; c = {mi(3)}; d = {mi(4)};");
                        w.Line($"{vec} s{row}0 = m{row}0 + (a + b) + (c + d), s{row}1 = VectorFma.MultiplyAdd(a - b, c - d, two), s{row}2 = VectorFma.MultiplyAdd(a + b, c + d, four), s{row}3 = VectorFma.MultiplyAdd(a - b, c - d, eight) + m{row}5;");
                    }

                    w.Line("// Down each column: Y_rc = A^T row r applied to s_0c..s_5c, plus the bias.");
                    for (int col = 0; col < 4; col++)
                    {
                        w.Line($"a = s1{col} + s2{col}; b = s1{col} - s2{col}; c = s3{col} + s4{col}; d = s3{col} - s4{col};");
                        w.Line($"{vec} y0{col} = s0{col} + a + c + b0, y1{col} = VectorFma.MultiplyAdd(b, d, two) + b0, y2{col} = VectorFma.MultiplyAdd(a, c, four) + b0, y3{col} = VectorFma.MultiplyAdd(b, d, eight) + s5{col} + b0;");
                    }

                    if (plan.Geometry.Activation != LayerActivation.None)
                    {
                        w.Line("// The activation, in registers, before the only store.");
                        for (int r = 0; r < 4; r++)
                        {
                            w.Line(KernelEmitter.Join(4, c => $"y{r}{c} = {ActivationEmitter.Wrap(plan.Geometry, $"y{r}{c}", bits)};"));
                        }
                    }

                    w.Line($"int columns = Math.Min({4 * lanes}, OW - 4 * j);");
                    w.Line("ref float row = ref Unsafe.Add(ref y, 4 * (ty0 + tr) * OW + 4 * j);");
                    w.Line("WinogradF43.StoreInterleaved(y00, y01, y02, y03, ref row, columns);");
                    w.Line("if (valid > 1) WinogradF43.StoreInterleaved(y10, y11, y12, y13, ref Unsafe.Add(ref row, OW), columns);");
                    w.Line("if (valid > 2) WinogradF43.StoreInterleaved(y20, y21, y22, y23, ref Unsafe.Add(ref row, 2 * OW), columns);");
                    w.Line("if (valid > 3) WinogradF43.StoreInterleaved(y30, y31, y32, y33, ref Unsafe.Add(ref row, 3 * OW), columns);");
                }
            }
        }

        w.Line();
    }

    private static string TileName(int bits, int f, int v) => $"Gemm{f}x{v}_V{bits}";

    private static void WriteTile(CodeWriter w, int bits, int f, int vectors)
    {
        int lanes = bits / 32;
        string vec = $"Vector{bits}<float>";
        w.Line($"/// <summary>{f} filters x {vectors} vector(s) of {lanes} tiles of one point: {f * vectors} accumulators over every input channel.</summary>");
        w.Line("[MethodImpl(MethodImplOptions.AggressiveOptimization)]");
        using (w.Block($"private static void {TileName(bits, f, vectors)}(ref float v, ref float u, ref float m)"))
        {
            for (int k = 0; k < f; k++)
            {
                w.Line($"{vec} " + string.Join(", ", Enumerable.Range(0, vectors).Select(j => $"a{k}_{j} = default")) + ";");
            }

            using (w.Block("for (int ic = 0; ic < Cin; ic++)"))
            {
                w.Line($"{vec} " + string.Join(", ", Enumerable.Range(0, vectors).Select(j => j == 0 ? $"x0 = Vector{bits}.LoadUnsafe(ref v)" : $"x{j} = Vector{bits}.LoadUnsafe(ref v, {j * lanes})")) + ";");
                w.Line($"{vec} k;");
                for (int k = 0; k < f; k++)
                {
                    w.Line((k == 0 ? $"k = Vector{bits}.Create(u); " : $"k = Vector{bits}.Create(Unsafe.Add(ref u, {k})); ")
                        + string.Join(" ", Enumerable.Range(0, vectors).Select(j => $"a{k}_{j} = VectorFma.MultiplyAdd(a{k}_{j}, x{j}, k);")));
                }

                w.Line("v = ref Unsafe.Add(ref v, BS);");
                w.Line($"u = ref Unsafe.Add(ref u, {f});");
            }

            for (int k = 0; k < f; k++)
            {
                w.Line(string.Join(" ", Enumerable.Range(0, vectors).Select(j =>
                {
                    string offset = k == 0 && j == 0 ? "" : k == 0 ? $", {j * lanes}" : j == 0 ? $", {k} * BS" : $", {k} * BS + {j * lanes}";
                    return $"a{k}_{j}.StoreUnsafe(ref m{offset});";
                })));
            }
        }

        w.Line();
    }

    private static int BlockStride(int tiles) => WinogradLayout.BlockStride(tiles);

    private static int PointStride(int floats) => WinogradLayout.PointStride(floats);

    private static int Phase(WinogradPlan p) => WinogradLayout.PhaseLength(p.TilesX);

    private static int Staged(WinogradPlan p) => WinogradLayout.StagedLength(p.BlockRows, p.TilesX);

    private static int Padded(int channels, int filters) => WinogradLayout.PaddedFilters(channels, filters);
}
