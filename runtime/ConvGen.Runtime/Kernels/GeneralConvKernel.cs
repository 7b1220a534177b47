using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The general convolution kernel: any geometry of 1, 2 or 3 dimensions, known only at run time. It is the baseline
/// the generated kernels are measured against, so it is vectorized and bounds-check free, but it does what a
/// specialized kernel avoids: kernel, stride, dilation and channel loops run with run-time trip counts, and every tap
/// re-reads its weights.
/// </summary>
/// <remarks>
/// Vectorized along output rows: a register tile is 4 output channels × one vector of output pixels, so each input
/// vector loaded feeds 4 multiply-adds. Padding (of any mode, on any side) and horizontal stride are removed up front
/// by staging each image (<see cref="PlaneStaging"/>), which makes the input of a tap for consecutive output pixels one
/// contiguous vector. A 1-D layer is a 2-D one with a single row; a 3-D layer adds a depth loop around the rows and
/// one over the kernel's depth taps inside each input channel. The activation runs on each output row right after the
/// row is stored, while it is in L1.
/// </remarks>
internal static class GeneralConvKernel
{
    public static void Run(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, TensorShape outputShape)
    {
        Input plan = Plan(g, inputShape, outputShape);
        int inImage = (int)(g.InChannels * inputShape.SpatialSize), outImage = (int)(g.OutChannels * outputShape.SpatialSize);
        for (int n = 0; n < inputShape.N; n++)
        {
            ref float x0 = ref plan.Prepare(g, input.Slice(n * inImage, inImage), inputShape);
            Convolve(plan.Layout, ref x0, weights, bias, output.Slice(n * outImage, outImage));
        }
    }

    /// <summary>How one image's input is read: staged (padding, phases) or in place, and the strides through it.</summary>
    internal readonly struct Input
    {
        public Input(Layout layout, bool staged, Pads pads, int channelSize, int planeSize, int rowStride)
        {
            Layout = layout;
            Staged = staged;
            Pads = pads;
            ChannelSize = channelSize;
            PlaneSize = planeSize;
            RowStride = rowStride;
        }

        public Layout Layout { get; }
        public bool Staged { get; }
        public Pads Pads { get; }
        public int ChannelSize { get; }
        public int PlaneSize { get; }
        public int RowStride { get; }

        /// <summary>Stages <paramref name="image"/> into this thread's scratch buffer when needed; returns where the kernel reads.</summary>
        public ref float Prepare(ConvGeometry g, ReadOnlySpan<float> image, TensorShape s)
            => ref Staged
                ? ref StageImage(image, s, ChannelSize, PlaneSize, RowStride, Pads, g)
                : ref MemoryMarshal.GetReference(image);
    }

    /// <summary>Decides staging and strides for one input size.</summary>
    internal static Input Plan(in ConvGeometry g, TensorShape inputShape, TensorShape outputShape)
    {
        Pads pads = LayerGuard.ResolvePads(g, inputShape, "general kernel");
        bool staged = pads != default || g.StrideW != 1;
        int inD = inputShape.D, inH = inputShape.H, inW = inputShape.W;
        long phaseLength = staged ? ((long)inW + pads.Left + pads.Right + g.StrideW - 1) / g.StrideW : inW;
        long rowStride = staged ? g.StrideW * phaseLength : inW;
        long planeSize = (staged ? (long)inH + pads.Top + pads.Bottom : inH) * rowStride;
        long channelSize = (staged ? (long)inD + pads.Front + pads.Back : inD) * planeSize;
        if (staged && channelSize * g.InChannels > Array.MaxLength)
        {
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "Layer '{0}' cannot run {1} on input {2}: the padded input needs {3} floats, more than an array holds.",
                nameof(GeneralConvKernel), g, inputShape, channelSize * g.InChannels));
        }

        var layout = new Layout(g, outputShape, (int)phaseLength, (int)rowStride, (nint)planeSize, (nint)channelSize);
        return new Input(layout, staged, pads, (int)channelSize, (int)planeSize, (int)rowStride);
    }

    /// <summary>
    /// One image: <paramref name="x0"/> is its input, already padded and phase-split as <paramref name="l"/>
    /// describes, so the loops below run every tap without a test. Separable layers call it on a band of rows.
    /// </summary>
    public static void Convolve(in Layout l, ref float x0, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        // The widest vector that is fast here and no wider than an output row: a 7-pixel row on an AVX-512 machine
        // still runs 4 lanes at a time (with one overlapping vector) instead of one.
        int outW = l.OutW;
        if (Vector512Ops.IsHardwareAccelerated && outW >= Vector512Ops.Count)
        {
            Convolve<Vector512Ops, Vector512<float>>(l, ref x0, weights, bias, output);
        }
        else if (Vector256Ops.IsHardwareAccelerated && outW >= Vector256Ops.Count)
        {
            Convolve<Vector256Ops, Vector256<float>>(l, ref x0, weights, bias, output);
        }
        else if (Vector128Ops.IsHardwareAccelerated && outW >= Vector128Ops.Count)
        {
            Convolve<Vector128Ops, Vector128<float>>(l, ref x0, weights, bias, output);
        }
        else
        {
            Convolve<ScalarOps, float>(l, ref x0, weights, bias, output);
        }
    }

    private static void Convolve<TOps, TVec>(in Layout l, ref float x0, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int cinG = l.CinG, coutG = l.CoutG;
        nint outPlane = (nint)l.OutH * l.OutW;
        ref float weights0 = ref MemoryMarshal.GetReference(weights);
        ref float out0 = ref MemoryMarshal.GetReference(output);
        for (int od = 0; od < l.OutD; od++)
        {
            ref float xDepth = ref Unsafe.Add(ref x0, od * l.OdStep);
            ref float outDepth = ref Unsafe.Add(ref out0, od * outPlane);
            for (int group = 0; group < l.Groups; group++)
            {
                ref float xGroup = ref Unsafe.Add(ref xDepth, (nint)group * cinG * l.ChannelSize);
                int oc = group * coutG, end = oc + coutG;
                for (; end - oc >= 4; oc += 4)
                {
                    Tile4<TOps, TVec>(l, ref xGroup, ref Unsafe.Add(ref weights0, (nint)oc * l.Taps),
                        ref Unsafe.Add(ref outDepth, oc * l.OutChannelStride), BiasOf(bias, oc), BiasOf(bias, oc + 1),
                        BiasOf(bias, oc + 2), BiasOf(bias, oc + 3));
                }

                for (; oc < end; oc++)
                {
                    Tile1<TOps, TVec>(l, ref xGroup, ref Unsafe.Add(ref weights0, (nint)oc * l.Taps),
                        ref Unsafe.Add(ref outDepth, oc * l.OutChannelStride), BiasOf(bias, oc));
                }
            }
        }
    }

    private static float BiasOf(ReadOnlySpan<float> bias, int oc) => bias.Length == 0 ? 0f : bias[oc];

    /// <summary>
    /// Stages every channel of one image into this thread's scratch buffer: each depth plane of the padded volume is
    /// the input plane the padding mode picks (or zeros), padded and phase-split. Returns the buffer's start.
    /// </summary>
    private static ref float StageImage(ReadOnlySpan<float> image, TensorShape s, int channelSize, int planeSize, int rowStride,
        Pads p, ConvGeometry g)
    {
        Span<float> buffer = Scratch.Get(s.C * channelSize);
        int inPlane = s.H * s.W, depth = channelSize / planeSize;
        for (int c = 0; c < s.C; c++)
        {
            for (int d = 0; d < depth; d++)
            {
                Span<float> dst = buffer.Slice(c * channelSize + d * planeSize, planeSize);
                int source = PlaneStaging.SourceIndex(d - p.Front, s.D, g.PaddingMode);
                if (source < 0)
                {
                    dst.Clear();
                    continue;
                }

                PlaneStaging.Stage(image.Slice((c * s.D + source) * inPlane, inPlane), s.H, s.W, dst,
                    p.Top, p.Bottom, p.Left, p.Right, g.StrideW, rowStride, g.PaddingMode);
            }
        }

        return ref MemoryMarshal.GetReference(buffer);
    }

    /// <summary>
    /// Four output channels of one group at one output depth. <paramref name="x"/> is the group's first (staged)
    /// input channel at that depth, <paramref name="w"/> the first channel's filter (the others follow at Taps apart),
    /// <paramref name="o"/> the first channel's output plane (the others follow at OutChannelStride apart).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile4<TOps, TVec>(in Layout l, ref float x, ref float w, ref float o, float b0, float b1, float b2, float b3)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int outH = l.OutH, outW = l.OutW, count = TOps.Count, cinG = l.CinG, kd = l.Kd, kh = l.Kh, kw = l.Kw, sw = l.Sw, dwRem = l.DwRem;
        nint taps = l.Taps, channelStride = l.OutChannelStride, channelSize = l.ChannelSize, kdStep = l.KdStep, kyStep = l.KyStep,
            kxStep = l.KxStep, kxWrap = l.KxWrap;
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
                ref float xChannel = ref Unsafe.Add(ref xRow, px);
                ref float wt = ref w;
                for (int ic = 0; ic < cinG; ic++)
                {
                    ref float xPlane = ref xChannel;
                    for (int z = 0; z < kd; z++)
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

                        xPlane = ref Unsafe.Add(ref xPlane, kdStep);
                    }

                    xChannel = ref Unsafe.Add(ref xChannel, channelSize);
                }

                TOps.Store(a0, ref oRow, (nuint)px);
                TOps.Store(a1, ref oRow, (nuint)(px + channelStride));
                TOps.Store(a2, ref oRow, (nuint)(px + 2 * channelStride));
                TOps.Store(a3, ref oRow, (nuint)(px + 3 * channelStride));
            }

            if (l.Activation != Activation.None)
            {
                for (int k = 0; k < 4; k++)
                {
                    ActivationFunctions.Apply(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref oRow, k * channelStride), outW), l.Activation, l.NegativeSlope);
                }
            }
        }
    }

    /// <summary>One output channel: the remainder when a group's output channels are not a multiple of 4 (and depthwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // tiering would run the first calls without inlining
    private static void Tile1<TOps, TVec>(in Layout l, ref float x, ref float w, ref float o, float b0)
        where TOps : struct, IVectorOps<TVec>
        where TVec : struct
    {
        int outH = l.OutH, outW = l.OutW, count = TOps.Count, cinG = l.CinG, kd = l.Kd, kh = l.Kh, kw = l.Kw, sw = l.Sw, dwRem = l.DwRem;
        nint channelSize = l.ChannelSize, kdStep = l.KdStep, kyStep = l.KyStep, kxStep = l.KxStep, kxWrap = l.KxWrap;
        for (int oy = 0; oy < outH; oy++)
        {
            ref float xRow = ref Unsafe.Add(ref x, oy * l.OyStep);
            ref float oRow = ref Unsafe.Add(ref o, (nint)oy * outW);
            for (int ox = 0; ox < outW; ox += count)
            {
                nint px = Math.Min(ox, outW - count);
                TVec a0 = TOps.Broadcast(b0);
                ref float xChannel = ref Unsafe.Add(ref xRow, px);
                ref float wt = ref w;
                for (int ic = 0; ic < cinG; ic++)
                {
                    ref float xPlane = ref xChannel;
                    for (int z = 0; z < kd; z++)
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

                        xPlane = ref Unsafe.Add(ref xPlane, kdStep);
                    }

                    xChannel = ref Unsafe.Add(ref xChannel, channelSize);
                }

                TOps.Store(a0, ref oRow, (nuint)px);
            }

            if (l.Activation != Activation.None)
            {
                ActivationFunctions.Apply(MemoryMarshal.CreateSpan(ref oRow, outW), l.Activation, l.NegativeSlope);
            }
        }
    }

    /// <summary>Strides, in floats, through the (staged or direct) input for one layer and input size.</summary>
    internal readonly struct Layout
    {
        /// <param name="g">The convolution (stride, dilation and kernel; its padding is already in the staged input).</param>
        /// <param name="output">The output shape.</param>
        /// <param name="phaseLength">Floats per column phase of a staged row.</param>
        /// <param name="rowStride">Floats per staged row (StrideW phases).</param>
        /// <param name="planeSize">Floats per staged plane.</param>
        /// <param name="channelSize">Floats per staged channel (all its depth planes).</param>
        public Layout(in ConvGeometry g, TensorShape output, int phaseLength, int rowStride, nint planeSize, nint channelSize)
        {
            Groups = g.Groups;
            CinG = g.InChannelsPerGroup;
            CoutG = g.OutChannelsPerGroup;
            Kd = g.KernelD;
            Kh = g.KernelH;
            Kw = g.KernelW;
            Sw = g.StrideW;
            DwRem = g.DilationW % g.StrideW;
            OutD = output.D;
            OutH = output.H;
            OutW = output.W;
            Taps = CinG * Kd * Kh * Kw;
            ChannelSize = channelSize;
            OutChannelStride = (nint)output.SpatialSize;
            OdStep = g.StrideD * planeSize;
            KdStep = g.DilationD * planeSize;
            OyStep = (nint)g.StrideH * rowStride;
            KyStep = (nint)g.DilationH * rowStride;
            KxStep = (nint)DwRem * phaseLength + g.DilationW / g.StrideW;
            KxWrap = 1 - (nint)g.StrideW * phaseLength;
            Activation = g.Activation;
            NegativeSlope = g.NegativeSlope;
        }

        public int Groups { get; init; }
        public int CinG { get; init; }
        public int CoutG { get; init; }
        public int Kd { get; init; }
        public int Kh { get; init; }
        public int Kw { get; init; }
        public int Sw { get; init; }
        public int DwRem { get; init; }
        public int OutD { get; init; }
        public int OutH { get; init; }
        public int OutW { get; init; }
        public int Taps { get; init; }
        public Activation Activation { get; init; }
        public float NegativeSlope { get; init; }
        /// <summary>Staged floats between input channels.</summary>
        public nint ChannelSize { get; init; }
        /// <summary>Output floats between output channels: OutD·OutH·OutW.</summary>
        public nint OutChannelStride { get; init; }
        /// <summary>Staged planes between output depths: StrideD planes.</summary>
        public nint OdStep { get; init; }
        /// <summary>Staged planes between kernel depths: DilationD planes.</summary>
        public nint KdStep { get; init; }
        /// <summary>Staged rows between output rows: StrideH rows.</summary>
        public nint OyStep { get; init; }
        /// <summary>Staged rows between kernel rows: DilationH rows.</summary>
        public nint KyStep { get; init; }
        /// <summary>Column offset between consecutive kernel columns, before a phase wrap.</summary>
        public nint KxStep { get; init; }
        /// <summary>Correction when the phase wraps past StrideW − 1: back to phase 0, one index further.</summary>
        public nint KxWrap { get; init; }
    }
}
