using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The general kernel: any geometry, known only at run time. It is the baseline the generated kernels are measured
/// against, so it is vectorized and bounds-check free, but it does what a specialized kernel avoids: kernel, stride,
/// dilation and channel loops run with run-time trip counts, and every tap re-reads its weights from OIHW.
/// </summary>
/// <remarks>
/// Vectorized along output rows: a register tile is 4 output channels × one vector of output pixels, so each input
/// vector loaded feeds 4 multiply-adds. Padding and horizontal stride are removed up front by
/// <see cref="PlaneStaging"/>, which makes the input of a tap for consecutive output pixels one contiguous vector.
/// </remarks>
internal static class GeneralConv2dKernel
{
    public static void Run(ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, float[] weights, float[] bias,
        Span<float> output, TensorShape outputShape)
    {
        // The widest vector that is fast here and no wider than an output row: a 7-pixel row on an AVX-512 machine
        // still runs 4 lanes at a time (with one overlapping vector) instead of one.
        int outW = outputShape.W;
        if (Vector512Ops.IsHardwareAccelerated && outW >= Vector512Ops.Count)
        {
            Run<Vector512Ops, Vector512<float>>(g, input, inputShape, weights, bias, output, outputShape);
        }
        else if (Vector256Ops.IsHardwareAccelerated && outW >= Vector256Ops.Count)
        {
            Run<Vector256Ops, Vector256<float>>(g, input, inputShape, weights, bias, output, outputShape);
        }
        else if (Vector128Ops.IsHardwareAccelerated && outW >= Vector128Ops.Count)
        {
            Run<Vector128Ops, Vector128<float>>(g, input, inputShape, weights, bias, output, outputShape);
        }
        else
        {
            Run<ScalarOps, float>(g, input, inputShape, weights, bias, output, outputShape);
        }
    }

    private static void Run<TOps, TVec>(ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, float[] weights,
        float[] bias, Span<float> output, TensorShape outputShape)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        // Staging costs a copy; without padding and horizontal stride the input rows are already what the tiles
        // read (row stride W, taps at ox + kx·Dw), so read them in place.
        bool staged = g.PadH != 0 || g.PadW != 0 || g.StrideW != 1;
        int inH = inputShape.H, inW = inputShape.W, cin = g.InChannels;
        long phaseLength = staged ? ((long)inW + 2L * g.PadW + g.StrideW - 1) / g.StrideW : inW;
        long rowStride = staged ? g.StrideW * phaseLength : inW;
        long planeSize = (staged ? inH + 2L * g.PadH : inH) * rowStride;
        if (staged && planeSize * cin > Array.MaxLength)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "Layer '{0}' cannot run {1} on input {2}: the padded input planes need {3} floats, more than an array holds.",
                nameof(Conv2d), g, inputShape, planeSize * cin));
        }

        var layout = new Layout(g, outputShape, (int)phaseLength, (int)rowStride, (int)planeSize);
        int inPlane = inH * inW, outPlane = outputShape.H * outputShape.W;
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, taps = layout.Taps;
        ref float weights0 = ref MemoryMarshal.GetArrayDataReference(weights);
        for (int n = 0; n < inputShape.N; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * cin * inPlane, cin * inPlane);
            ref float x0 = ref staged
                ? ref StageImage(image, inH, inW, cin, (int)planeSize, g)
                : ref MemoryMarshal.GetReference(image);
            ref float out0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), (nint)n * g.OutChannels * outPlane);
            for (int group = 0; group < g.Groups; group++)
            {
                ref float xGroup = ref Unsafe.Add(ref x0, (nint)group * cinG * (nint)planeSize);
                int oc = group * coutG, end = oc + coutG;
                for (; end - oc >= 4; oc += 4)
                {
                    Tile4<TOps, TVec>(layout, ref xGroup, ref Unsafe.Add(ref weights0, (nint)oc * taps),
                        ref Unsafe.Add(ref out0, (nint)oc * outPlane), BiasOf(bias, oc), BiasOf(bias, oc + 1),
                        BiasOf(bias, oc + 2), BiasOf(bias, oc + 3));
                }

                for (; oc < end; oc++)
                {
                    Tile1<TOps, TVec>(layout, ref xGroup, ref Unsafe.Add(ref weights0, (nint)oc * taps),
                        ref Unsafe.Add(ref out0, (nint)oc * outPlane), BiasOf(bias, oc));
                }
            }
        }
    }

    private static float BiasOf(float[] bias, int oc) => bias.Length == 0 ? 0f : bias[oc];

    /// <summary>Stages every channel of one image into this thread's scratch buffer; returns its start.</summary>
    private static ref float StageImage(ReadOnlySpan<float> image, int inH, int inW, int cin, int planeSize, in ConvGeometry g)
    {
        Span<float> buffer = Scratch.Get(cin * planeSize);
        int inPlane = inH * inW;
        for (int c = 0; c < cin; c++)
        {
            PlaneStaging.Stage(image.Slice(c * inPlane, inPlane), inH, inW, buffer.Slice(c * planeSize, planeSize),
                g.PadH, g.PadW, g.StrideW);
        }

        return ref MemoryMarshal.GetReference(buffer);
    }

    /// <summary>
    /// Four output channels of one group. <paramref name="x"/> is the group's first (staged) input plane,
    /// <paramref name="w"/> the first channel's filter (the others follow at Taps apart), <paramref name="o"/> the first
    /// channel's output plane (the others follow at OutH·OutW apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile4<TOps, TVec>(in Layout l, ref float x, ref float w, ref float o, float b0, float b1, float b2, float b3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int outH = l.OutH, outW = l.OutW, count = TOps.Count, cinG = l.CinG, kh = l.Kh, kw = l.Kw, sw = l.Sw, dwRem = l.DwRem;
        nint taps = l.Taps, outPlane = (nint)outH * outW, planeSize = l.PlaneSize, kyStep = l.KyStep, kxStep = l.KxStep, kxWrap = l.KxWrap;
        for (int oy = 0; oy < outH; oy++)
        {
            ref float xRow = ref Unsafe.Add(ref x, oy * l.OyStep);
            ref float oRow = ref Unsafe.Add(ref o, (nint)oy * outW);
            for (int ox = 0; ox < outW; ox += count)
            {
                // The last vector of a row overlaps the one before instead of a scalar tail: the overlapped pixels
                // are recomputed to the same values, and every load stays inside the row.
                nint px = Math.Min(ox, outW - count);
                TVec a0 = TOps.Broadcast(b0), a1 = TOps.Broadcast(b1), a2 = TOps.Broadcast(b2), a3 = TOps.Broadcast(b3);
                ref float xPlane = ref Unsafe.Add(ref xRow, px);
                ref float wt = ref w;
                for (int ic = 0; ic < cinG; ic++)
                {
                    ref float xTap = ref xPlane;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        // Column of tap kx: phase (kx·Dw) mod Sw, index (kx·Dw) / Sw, advanced incrementally so the
                        // inner loop has no division.
                        nint col = 0;
                        int phase = 0;
                        for (int kx = 0; kx < kw; kx++)
                        {
                            TVec v = TOps.Load(ref xTap, (nuint)col);
                            a0 = TOps.MultiplyAdd(a0, v, TOps.Broadcast(wt));
                            a1 = TOps.MultiplyAdd(a1, v, TOps.Broadcast(Unsafe.Add(ref wt, taps)));
                            a2 = TOps.MultiplyAdd(a2, v, TOps.Broadcast(Unsafe.Add(ref wt, 2 * taps)));
                            a3 = TOps.MultiplyAdd(a3, v, TOps.Broadcast(Unsafe.Add(ref wt, 3 * taps)));
                            wt = ref Unsafe.Add(ref wt, 1);
                            col += kxStep;
                            phase += dwRem;
                            if (phase >= sw)
                            {
                                phase -= sw;
                                col += kxWrap;
                            }
                        }

                        xTap = ref Unsafe.Add(ref xTap, kyStep);
                    }

                    xPlane = ref Unsafe.Add(ref xPlane, planeSize);
                }

                TOps.Store(a0, ref oRow, (nuint)px);
                TOps.Store(a1, ref oRow, (nuint)(px + outPlane));
                TOps.Store(a2, ref oRow, (nuint)(px + 2 * outPlane));
                TOps.Store(a3, ref oRow, (nuint)(px + 3 * outPlane));
            }
        }
    }

    /// <summary>One output channel: the remainder when a group's output channels are not a multiple of 4 (and depthwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile1<TOps, TVec>(in Layout l, ref float x, ref float w, ref float o, float b0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int outH = l.OutH, outW = l.OutW, count = TOps.Count, cinG = l.CinG, kh = l.Kh, kw = l.Kw, sw = l.Sw, dwRem = l.DwRem;
        nint planeSize = l.PlaneSize, kyStep = l.KyStep, kxStep = l.KxStep, kxWrap = l.KxWrap;
        for (int oy = 0; oy < outH; oy++)
        {
            ref float xRow = ref Unsafe.Add(ref x, oy * l.OyStep);
            ref float oRow = ref Unsafe.Add(ref o, (nint)oy * outW);
            for (int ox = 0; ox < outW; ox += count)
            {
                nint px = Math.Min(ox, outW - count);
                TVec a0 = TOps.Broadcast(b0);
                ref float xPlane = ref Unsafe.Add(ref xRow, px);
                ref float wt = ref w;
                for (int ic = 0; ic < cinG; ic++)
                {
                    ref float xTap = ref xPlane;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        nint col = 0;
                        int phase = 0;
                        for (int kx = 0; kx < kw; kx++)
                        {
                            a0 = TOps.MultiplyAdd(a0, TOps.Load(ref xTap, (nuint)col), TOps.Broadcast(wt));
                            wt = ref Unsafe.Add(ref wt, 1);
                            col += kxStep;
                            phase += dwRem;
                            if (phase >= sw)
                            {
                                phase -= sw;
                                col += kxWrap;
                            }
                        }

                        xTap = ref Unsafe.Add(ref xTap, kyStep);
                    }

                    xPlane = ref Unsafe.Add(ref xPlane, planeSize);
                }

                TOps.Store(a0, ref oRow, (nuint)px);
            }
        }
    }

    /// <summary>Strides, in floats, through the (staged or direct) input for one layer and input size.</summary>
    private readonly struct Layout
    {
        public Layout(in ConvGeometry g, TensorShape output, int phaseLength, int rowStride, int planeSize)
        {
            CinG = g.InChannelsPerGroup;
            Kh = g.KernelH;
            Kw = g.KernelW;
            Sw = g.StrideW;
            DwRem = g.DilationW % g.StrideW;
            OutH = output.H;
            OutW = output.W;
            Taps = CinG * Kh * Kw;
            PlaneSize = planeSize;
            OyStep = (nint)g.StrideH * rowStride;
            KyStep = (nint)g.DilationH * rowStride;
            KxStep = (nint)DwRem * phaseLength + g.DilationW / g.StrideW;
            KxWrap = 1 - (nint)g.StrideW * phaseLength;
        }

        public int CinG { get; }
        public int Kh { get; }
        public int Kw { get; }
        public int Sw { get; }
        public int DwRem { get; }
        public int OutH { get; }
        public int OutW { get; }
        public int Taps { get; }
        public nint PlaneSize { get; }
        /// <summary>Staged rows between output rows: StrideH rows.</summary>
        public nint OyStep { get; }
        /// <summary>Staged rows between kernel rows: DilationH rows.</summary>
        public nint KyStep { get; }
        /// <summary>Column offset between consecutive kernel columns, before a phase wrap.</summary>
        public nint KxStep { get; }
        /// <summary>Correction when the phase wraps past StrideW − 1: back to phase 0, one index further.</summary>
        public nint KxWrap { get; }
    }
}
