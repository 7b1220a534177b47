using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The general transposed-convolution kernel, by phase (sub-pixel) decomposition: it performs only the multiply-adds
/// that reach an output, never a product with an inserted zero.
/// </summary>
/// <remarks>
/// <para>
/// On each axis, output o (at f = o + padBegin in the uncropped output) receives input i through tap k exactly when
/// f = i·S + k·D. Outputs of one phase r = f mod S are reached by the taps with k·D ≡ r (mod S), and for those
/// i = f/S − ⌊k·D/S⌋ runs contiguously as f steps by S: each phase is a stride-1 correlation over the input with a
/// subset of the taps, whose results land on every S-th output.
/// </para>
/// <para>
/// Depth and height are handled per output row: a scalar loop lists the (tap, input plane/row) pairs that reach it.
/// Along the width, for each phase, a register tile of 4 output channels × two vectors of consecutive phase outputs
/// reads one input vector per tap and channel and feeds it to 4 multiply-adds per vector. The (input offset, weight
/// offset) pairs of one row and phase are listed once and reused by every output-channel tile. Each input row is
/// staged with a zero border as wide as the farthest tap reaches (⌊D·(K−1)/S⌋ columns before, a vector-rounded
/// margin after), so the hot loop has no test. A tile's phases go to a small buffer, which is then interleaved into
/// the output rows (a plain copy at stride 1), where the activation runs while the row is in L1. Outputs no tap
/// reaches (output padding, dilation gaps) keep the bias the accumulators start from.
/// </para>
/// </remarks>
internal static class GeneralConvTransposeKernel
{
    [ThreadStatic]
    private static int[]? t_ints;

    /// <summary>
    /// Rewrites PyTorch transposed weights [Cin, Cout/G, k...] as [Cin, k..., Cout/G]: the weights of one input
    /// channel and tap for consecutive output channels of its group are adjacent, so a 4-channel tile reads them
    /// from one cache line.
    /// </summary>
    public static void ConvertWeights(in ConvGeometry g, ReadOnlySpan<float> weights, Span<float> converted)
    {
        int coutG = g.OutChannelsPerGroup, taps = (int)g.KernelTaps, block = coutG * taps;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            ReadOnlySpan<float> src = weights.Slice(ci * block, block);
            Span<float> dst = converted.Slice(ci * block, block);
            for (int j = 0; j < coutG; j++)
            {
                for (int t = 0; t < taps; t++)
                {
                    dst[t * coutG + j] = src[j * taps + t];
                }
            }
        }
    }

    /// <summary>Runs the layer; <paramref name="converted"/> holds the weights as <see cref="ConvertWeights"/> left them.</summary>
    public static void Run(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> converted,
        ReadOnlySpan<float> bias, Span<float> output, TensorShape o)
    {
        Pads p = LayerGuard.ResolvePads(g, s, nameof(ConvTranspose));

        // Phase outputs j of every W phase run over [j0, j1): the full-coordinate columns f = r + S·j that cover
        // the output [padLeft, padLeft + OutW). Every phase computes the whole range (at most one column per phase
        // lands outside the output and is dropped).
        int j0 = p.Left / g.StrideW;
        int phaseWidth = (o.W - 1 + p.Left) / g.StrideW + 1 - j0;
        if (Vector512Ops.IsHardwareAccelerated && phaseWidth >= Vector512Ops.Count)
        {
            Run<Vector512Ops, Vector512<float>>(g, p, input, s, converted, bias, output, o);
        }
        else if (Vector256Ops.IsHardwareAccelerated && phaseWidth >= Vector256Ops.Count)
        {
            Run<Vector256Ops, Vector256<float>>(g, p, input, s, converted, bias, output, o);
        }
        else if (Vector128Ops.IsHardwareAccelerated && phaseWidth >= Vector128Ops.Count)
        {
            Run<Vector128Ops, Vector128<float>>(g, p, input, s, converted, bias, output, o);
        }
        else
        {
            Run<ScalarOps, float>(g, p, input, s, converted, bias, output, o);
        }
    }

    private static void Run<TOps, TVec>(in ConvGeometry g, in Pads p, ReadOnlySpan<float> input, TensorShape s,
        ReadOnlySpan<float> converted, ReadOnlySpan<float> bias, Span<float> output, TensorShape o)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count;
        int sw = g.StrideW, kw = g.KernelW, kh = g.KernelH, kd = g.KernelD, taps = (int)g.KernelTaps;
        int cin = g.InChannels, cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        int j0 = p.Left / sw;
        int phaseWidth = (o.W - 1 + p.Left) / sw + 1 - j0;
        int padded = (phaseWidth + count - 1) / count * count;

        // Staged row: column L + i holds input column i, zeros elsewhere. Tap kw with q = ⌊kw·Dw/Sw⌋ reads column
        // j0 + jj − q + L for phase output jj in [0, padded), so the row spans L + max(in, j0 + padded).
        int border = (kw - 1) * g.DilationW / sw;
        long rowLong = border + Math.Max((long)s.W, (long)j0 + padded);
        long channelLong = rowLong * s.H * s.D;
        long tmpLong = 4L * sw * padded;
        if (channelLong * cin + tmpLong > Array.MaxLength)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "Layer '{0}' cannot run {1} on input {2}: its staged input needs {3} floats, more than an array holds.",
                nameof(ConvTranspose), g, s, channelLong * cin + tmpLong));
        }

        int rowStride = (int)rowLong, plane = rowStride * s.H, channel = plane * s.D, staged = channel * cin;

        // Integer scratch: W taps sorted by phase (offset in the staged row, weight tap index), the phase starts,
        // the depth and row taps that reach the current output row, and the (input, weight) offset pairs of that row.
        int entryCapacity = 2 * cinG * taps;
        int needed = 2 * kw + (sw + 1) + 2 * kd + 2 * kh + (sw + 1) + entryCapacity;
        int[] ints = t_ints is { } existing && existing.Length >= needed ? existing : (t_ints = new int[needed]);
        Span<int> wTaps = ints.AsSpan(0, 2 * kw);
        Span<int> wPhaseStart = ints.AsSpan(2 * kw, sw + 1);
        Span<int> dTaps = ints.AsSpan(2 * kw + sw + 1, 2 * kd);
        Span<int> hTaps = ints.AsSpan(2 * kw + sw + 1 + 2 * kd, 2 * kh);
        Span<int> entryStart = ints.AsSpan(2 * kw + sw + 1 + 2 * kd + 2 * kh, sw + 1);
        Span<int> entries = ints.AsSpan(needed - entryCapacity, entryCapacity);

        int at = 0;
        for (int r = 0; r < sw; r++)
        {
            wPhaseStart[r] = at;
            for (int x = 0; x < kw; x++)
            {
                int reach = x * g.DilationW;
                if (reach % sw == r)
                {
                    wTaps[2 * at] = j0 + border - reach / sw;
                    wTaps[2 * at + 1] = x;
                    at++;
                }
            }
        }

        wPhaseStart[sw] = at;

        int inImage = (int)(cin * s.SpatialSize), outImage = (int)(g.OutChannels * o.SpatialSize);
        nint outChannel = (nint)o.SpatialSize;
        for (int n = 0; n < s.N; n++)
        {
            Span<float> scratch = Scratch.Get(staged + (int)tmpLong);
            Stage(input.Slice(n * inImage, inImage), s, scratch.Slice(0, staged), rowStride, border);
            ref float x0 = ref MemoryMarshal.GetReference(scratch);
            Span<float> tmp = scratch.Slice(staged, (int)tmpLong);
            Span<float> image = output.Slice(n * outImage, outImage);
            for (int od = 0; od < o.D; od++)
            {
                int dCount = Reaching(od + p.Front, kd, g.StrideD, g.DilationD, s.D, dTaps);
                for (int oh = 0; oh < o.H; oh++)
                {
                    int hCount = Reaching(oh + p.Top, kh, g.StrideH, g.DilationH, s.H, hTaps);

                    // The (input offset, weight offset) pairs of this row, phase by phase, relative to a group's
                    // first staged channel and first weight.
                    int e = 0;
                    for (int r = 0; r < sw; r++)
                    {
                        entryStart[r] = e;
                        for (int ic = 0; ic < cinG; ic++)
                        {
                            for (int a = 0; a < dCount; a++)
                            {
                                for (int b = 0; b < hCount; b++)
                                {
                                    int xBase = ic * channel + dTaps[2 * a + 1] * plane + hTaps[2 * b + 1] * rowStride;
                                    int tapBase = (dTaps[2 * a] * kh + hTaps[2 * b]) * kw;
                                    for (int t = wPhaseStart[r]; t < wPhaseStart[r + 1]; t++)
                                    {
                                        entries[2 * e] = xBase + wTaps[2 * t];
                                        entries[2 * e + 1] = (ic * taps + tapBase + wTaps[2 * t + 1]) * coutG;
                                        e++;
                                    }
                                }
                            }
                        }
                    }

                    entryStart[sw] = e;
                    nint rowOffset = ((nint)od * o.H + oh) * o.W;
                    for (int group = 0; group < g.Groups; group++)
                    {
                        ref float xGroup = ref Unsafe.Add(ref x0, (nint)group * cinG * channel);
                        ref float wGroup = ref Unsafe.Add(ref MemoryMarshal.GetReference(converted), (nint)group * cinG * taps * coutG);
                        int oc = group * coutG, end = oc + coutG;
                        while (oc < end)
                        {
                            int tile = end - oc >= 4 ? 4 : 1;
                            ref float w = ref Unsafe.Add(ref wGroup, oc - group * coutG);
                            for (int r = 0; r < sw; r++)
                            {
                                ref int pairs = ref Unsafe.Add(ref MemoryMarshal.GetReference(entries), 2 * entryStart[r]);
                                int m = entryStart[r + 1] - entryStart[r];
                                ref float dst = ref tmp[r * padded];
                                if (tile == 4)
                                {
                                    Tile4<TOps, TVec>(ref pairs, m, ref xGroup, ref w, ref dst, (nint)sw * padded, padded,
                                        BiasOf(bias, oc), BiasOf(bias, oc + 1), BiasOf(bias, oc + 2), BiasOf(bias, oc + 3));
                                }
                                else
                                {
                                    Tile1<TOps, TVec>(ref pairs, m, ref xGroup, ref w, ref dst, padded, BiasOf(bias, oc));
                                }
                            }

                            for (int c = 0; c < tile; c++)
                            {
                                Span<float> row = image.Slice((int)((oc + c) * outChannel + rowOffset), o.W);
                                Interleave(tmp.Slice(c * sw * padded, sw * padded), padded, sw, p.Left % sw, row);
                                ActivationFunctions.Apply(row, g.Activation, g.NegativeSlope);
                            }

                            oc += tile;
                        }
                    }
                }
            }
        }
    }

    private static float BiasOf(ReadOnlySpan<float> bias, int oc) => bias.Length == 0 ? 0f : bias[oc];

    /// <summary>
    /// Lists into <paramref name="taps"/> the (tap, input index) pairs that reach full coordinate <paramref name="f"/>
    /// on a depth or height axis (f = i·S + k·D with 0 ≤ i &lt; size); returns how many.
    /// </summary>
    private static int Reaching(int f, int kernel, int stride, int dilation, int size, Span<int> taps)
    {
        int count = 0;
        for (int k = 0; k < kernel; k++)
        {
            int t = f - k * dilation;
            if (t < 0)
            {
                break;
            }

            if (t % stride == 0 && t / stride < size)
            {
                taps[2 * count] = k;
                taps[2 * count + 1] = t / stride;
                count++;
            }
        }

        return count;
    }

    /// <summary>Copies one image into staged rows: <paramref name="border"/> zeros, the input row, zeros to the row's end.</summary>
    private static void Stage(ReadOnlySpan<float> image, TensorShape s, Span<float> staged, int rowStride, int border)
    {
        int rows = s.C * s.D * s.H, w = s.W;
        for (int row = 0; row < rows; row++)
        {
            Span<float> dst = staged.Slice(row * rowStride, rowStride);
            dst.Slice(0, border).Clear();
            image.Slice(row * w, w).CopyTo(dst.Slice(border));
            dst.Slice(border + w).Clear();
        }
    }

    /// <summary>
    /// Writes one output row from its phases: <paramref name="phases"/> holds phase r's outputs jj at r·padded + jj,
    /// for full columns f = (j0 + jj)·S + r; output o is column o + padLeft, whose phase at o = 0 is
    /// <paramref name="firstPhase"/>.
    /// </summary>
    private static void Interleave(ReadOnlySpan<float> phases, int padded, int stride, int firstPhase, Span<float> row)
    {
        int width = row.Length;
        if (stride == 1)
        {
            phases.Slice(0, width).CopyTo(row);
            return;
        }

        ref float src = ref MemoryMarshal.GetReference(phases);
        ref float dst = ref MemoryMarshal.GetReference(row);
        int done = 0;
        if (stride == 2 && (Sse.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            // Even outputs come from phase firstPhase at jj = o/2, odd ones from the other phase at jj = o/2 + firstPhase.
            ref float even = ref Unsafe.Add(ref src, firstPhase * padded);
            ref float odd = ref Unsafe.Add(ref src, (1 - firstPhase) * padded + firstPhase);
            for (; done + 8 <= width; done += 8)
            {
                nuint t = (nuint)(done / 2);
                Vector128<float> a = Vector128.LoadUnsafe(ref even, t), b = Vector128.LoadUnsafe(ref odd, t);
                (Vector128<float> low, Vector128<float> high) = Sse.IsSupported
                    ? (Sse.UnpackLow(a, b), Sse.UnpackHigh(a, b))
                    : (AdvSimd.Arm64.ZipLow(a, b), AdvSimd.Arm64.ZipHigh(a, b));
                low.StoreUnsafe(ref dst, (nuint)done);
                high.StoreUnsafe(ref dst, (nuint)done + 4);
            }
        }

        // Phase by phase: output o = first + S·m is phase r's output jj = (first + padLeft)/S − j0 + m.
        for (int r = 0; r < stride; r++)
        {
            int first = (r - firstPhase + stride) % stride;
            int o = done + (first - done % stride + stride) % stride;
            ref float phase = ref Unsafe.Add(ref src, r * padded + (o + firstPhase) / stride);
            for (int m = 0; o < width; o += stride, m++)
            {
                Unsafe.Add(ref dst, o) = Unsafe.Add(ref phase, m);
            }
        }
    }

    /// <summary>
    /// Four output channels of one phase of one output row: <paramref name="m"/> (input offset, weight offset) pairs
    /// from <paramref name="pairs"/>, read relative to <paramref name="x"/> (the group's staged input, column 0 of
    /// phase output 0) and <paramref name="w"/> (the first channel's weights; the other three follow it). Phase
    /// outputs [0, <paramref name="padded"/>) go to <paramref name="dst"/>, channel c at c·<paramref name="dstStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile4<TOps, TVec>(ref int pairs, int m, ref float x, ref float w, ref float dst, nint dstStride, int padded,
        float b0, float b1, float b2, float b3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count, jj = 0;
        for (; jj + 2 * count <= padded; jj += 2 * count)
        {
            TVec a0 = TOps.Broadcast(b0), a1 = TOps.Broadcast(b1), a2 = TOps.Broadcast(b2), a3 = TOps.Broadcast(b3);
            TVec c0 = a0, c1 = a1, c2 = a2, c3 = a3;
            ref float xj = ref Unsafe.Add(ref x, jj);
            ref int pair = ref pairs;
            for (int t = 0; t < m; t++)
            {
                ref float xp = ref Unsafe.Add(ref xj, pair);
                ref float wp = ref Unsafe.Add(ref w, Unsafe.Add(ref pair, 1));
                pair = ref Unsafe.Add(ref pair, 2);
                TVec v0 = TOps.Load(ref xp, 0), v1 = TOps.Load(ref xp, (nuint)count);
                TVec w0 = TOps.Broadcast(wp);
                a0 = TOps.MultiplyAdd(a0, v0, w0);
                c0 = TOps.MultiplyAdd(c0, v1, w0);
                TVec w1 = TOps.Broadcast(Unsafe.Add(ref wp, 1));
                a1 = TOps.MultiplyAdd(a1, v0, w1);
                c1 = TOps.MultiplyAdd(c1, v1, w1);
                TVec w2 = TOps.Broadcast(Unsafe.Add(ref wp, 2));
                a2 = TOps.MultiplyAdd(a2, v0, w2);
                c2 = TOps.MultiplyAdd(c2, v1, w2);
                TVec w3 = TOps.Broadcast(Unsafe.Add(ref wp, 3));
                a3 = TOps.MultiplyAdd(a3, v0, w3);
                c3 = TOps.MultiplyAdd(c3, v1, w3);
            }

            ref float d = ref Unsafe.Add(ref dst, jj);
            TOps.Store(a0, ref d, 0);
            TOps.Store(c0, ref d, (nuint)count);
            TOps.Store(a1, ref d, (nuint)dstStride);
            TOps.Store(c1, ref d, (nuint)(dstStride + count));
            TOps.Store(a2, ref d, (nuint)(2 * dstStride));
            TOps.Store(c2, ref d, (nuint)(2 * dstStride + count));
            TOps.Store(a3, ref d, (nuint)(3 * dstStride));
            TOps.Store(c3, ref d, (nuint)(3 * dstStride + count));
        }

        if (jj < padded)
        {
            // One vector left (padded is a multiple of the vector).
            TVec a0 = TOps.Broadcast(b0), a1 = TOps.Broadcast(b1), a2 = TOps.Broadcast(b2), a3 = TOps.Broadcast(b3);
            ref float xj = ref Unsafe.Add(ref x, jj);
            ref int pair = ref pairs;
            for (int t = 0; t < m; t++)
            {
                TVec v0 = TOps.Load(ref Unsafe.Add(ref xj, pair), 0);
                ref float wp = ref Unsafe.Add(ref w, Unsafe.Add(ref pair, 1));
                pair = ref Unsafe.Add(ref pair, 2);
                a0 = TOps.MultiplyAdd(a0, v0, TOps.Broadcast(wp));
                a1 = TOps.MultiplyAdd(a1, v0, TOps.Broadcast(Unsafe.Add(ref wp, 1)));
                a2 = TOps.MultiplyAdd(a2, v0, TOps.Broadcast(Unsafe.Add(ref wp, 2)));
                a3 = TOps.MultiplyAdd(a3, v0, TOps.Broadcast(Unsafe.Add(ref wp, 3)));
            }

            ref float d = ref Unsafe.Add(ref dst, jj);
            TOps.Store(a0, ref d, 0);
            TOps.Store(a1, ref d, (nuint)dstStride);
            TOps.Store(a2, ref d, (nuint)(2 * dstStride));
            TOps.Store(a3, ref d, (nuint)(3 * dstStride));
        }
    }

    /// <summary>One output channel: the remainder when a group's output channels are not a multiple of 4 (and depthwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile1<TOps, TVec>(ref int pairs, int m, ref float x, ref float w, ref float dst, int padded, float b0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int count = TOps.Count, jj = 0;
        for (; jj + 2 * count <= padded; jj += 2 * count)
        {
            TVec a0 = TOps.Broadcast(b0), c0 = a0;
            ref float xj = ref Unsafe.Add(ref x, jj);
            ref int pair = ref pairs;
            for (int t = 0; t < m; t++)
            {
                ref float xp = ref Unsafe.Add(ref xj, pair);
                TVec w0 = TOps.Broadcast(Unsafe.Add(ref w, Unsafe.Add(ref pair, 1)));
                pair = ref Unsafe.Add(ref pair, 2);
                a0 = TOps.MultiplyAdd(a0, TOps.Load(ref xp, 0), w0);
                c0 = TOps.MultiplyAdd(c0, TOps.Load(ref xp, (nuint)count), w0);
            }

            TOps.Store(a0, ref dst, (nuint)jj);
            TOps.Store(c0, ref dst, (nuint)(jj + count));
        }

        if (jj < padded)
        {
            TVec a0 = TOps.Broadcast(b0);
            ref float xj = ref Unsafe.Add(ref x, jj);
            ref int pair = ref pairs;
            for (int t = 0; t < m; t++)
            {
                a0 = TOps.MultiplyAdd(a0, TOps.Load(ref Unsafe.Add(ref xj, pair), 0), TOps.Broadcast(Unsafe.Add(ref w, Unsafe.Add(ref pair, 1))));
                pair = ref Unsafe.Add(ref pair, 2);
            }

            TOps.Store(a0, ref dst, (nuint)jj);
        }
    }
}
