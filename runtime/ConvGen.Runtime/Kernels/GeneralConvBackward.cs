using System;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// The general (run-time geometry) backward pass of a convolution layer of any kind and dimension, in float: the
/// fallback for layers whose generated backward is not specialized. Not meant to be called by user code.
/// </summary>
/// <remarks>
/// <para>
/// Every kind is one pattern, seen from a "dense" tensor E whose rows are walked contiguously, and a "gathered" tensor
/// G that E reads through the taps: E position e and tap k meet G at padded position e·S + k·D. For a convolution E is
/// the output gradient dZ and G the padded input; for a transposed layer E is the input and G the output gradient
/// padded with zeros (its forward sends x[i] to y[i·S − P + k·D]). For each pair of channels and each tap the weight
/// gradient is a dot product of E's rows with G's rows, and the other gradient an axpy along the same rows: into the
/// padded input gradient for a convolution (scattered), into the input gradient for a transposed layer (gathered).
/// </para>
/// <para>
/// G is staged as the forward kernel stages its input (<see cref="PlaneStaging"/>): padded by the layer's mode and,
/// for a horizontal stride S, split into S column phases, so that the G elements of consecutive E columns are
/// contiguous and every inner loop runs over a row with plain vector loads and no bounds test. The padded input
/// gradient of a convolution is then folded back into the input gradient: a padded position's gradient goes to the
/// input element its mode copied (<see cref="PlaneStaging.SourceIndex"/>), or nowhere for zeros, as in
/// <see cref="ConvReference.Backward"/>. A separable layer recomputes its depthwise output with
/// <see cref="GeneralConvKernel"/>, runs the pattern through its pointwise half (a 1×1 over whole planes), then
/// through its depthwise half.
/// </para>
/// <para>
/// Temporaries come from <see cref="GradientScratch"/>, never from <see cref="Scratch"/>, so callers may hold
/// <see cref="Scratch"/> spans across a call; callers must not hold <see cref="GradientScratch"/> spans across one.
/// After the first call on a thread for a given size nothing is allocated. Thread-safe: only per-thread buffers.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneralConvBackward
{
    private const string LayerName = nameof(GeneralConvBackward);

    /// <summary>The last geometry this thread validated, so that a training loop pays for (and allocates in) Validate once.</summary>
    [ThreadStatic]
    private static ConvGeometry? t_validated;

    /// <summary>
    /// Given the forward input and the gradient with respect to the pre-activation output (dZ: the caller has already
    /// applied the activation's derivative; the geometry's activation is ignored), writes the input gradient
    /// (overwritten; skipped when <paramref name="inputGradient"/> is empty) and adds the weight gradient (the layout
    /// of the weights: [Cout, Cin/G, k...] for a convolution, [Cin, Cout/G, k...] for a transposed layer, the depthwise
    /// [Cin·M, 1, k...] followed by the pointwise [Cout, Cin·M] for a separable one) and the bias gradient (the sum of
    /// dZ per output channel; skipped when <paramref name="biasGradient"/> is empty).
    /// </summary>
    /// <param name="g">The layer; its pads are resolved for <paramref name="inputShape"/> as the forward pass resolves them.</param>
    /// <param name="input">The forward pass's input.</param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="weights">The layer's weights.</param>
    /// <param name="preActivationGradient">dZ, the gradient with respect to the output before the activation.</param>
    /// <param name="outputShape">The output shape, which must be the one the layer gives for <paramref name="inputShape"/>.</param>
    /// <param name="inputGradient">Receives dX (overwritten), or empty to skip it.</param>
    /// <param name="weightGradient">dW is added to it; as long as the weights.</param>
    /// <param name="biasGradient">The bias gradient is added to it (one per output channel), or empty to skip it.</param>
    /// <exception cref="ArgumentException">The geometry, a shape or a span's length is wrong; the message names the sizes.</exception>
    public static void Backward(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> preActivationGradient, TensorShape outputShape, Span<float> inputGradient, Span<float> weightGradient,
        Span<float> biasGradient)
    {
        Check(g, input.Length, inputShape, weights.Length, preActivationGradient.Length, outputShape, inputGradient.Length,
            weightGradient.Length, biasGradient.Length);
        Pads pads = LayerGuard.ResolvePads(g, inputShape, LayerName);
        switch (g.Kind)
        {
            case ConvKind.Transposed:
                Transposed(g, pads, input, inputShape, weights, preActivationGradient, outputShape, inputGradient, weightGradient);
                break;
            case ConvKind.Separable:
                Separable(g, pads, input, inputShape, weights, preActivationGradient, outputShape, inputGradient, weightGradient);
                break;
            default:
                Convolution(g, pads, input, inputShape, weights, preActivationGradient, outputShape, inputGradient, weightGradient);
                break;
        }

        if (!biasGradient.IsEmpty)
        {
            AddChannelSums(preActivationGradient, outputShape.N, outputShape.C, (int)outputShape.SpatialSize, biasGradient);
        }
    }

    /// <summary>Adds the per-channel sums of dZ [N, C, spatial] to <paramref name="biasGradient"/> (length C). Vectorized.</summary>
    /// <param name="preActivationGradient">dZ, <paramref name="batch"/>·<paramref name="channels"/>·<paramref name="spatial"/> floats.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="spatial">Elements per channel plane (D·H·W).</param>
    /// <param name="biasGradient">The sums are added to it; exactly <paramref name="channels"/> floats.</param>
    /// <exception cref="ArgumentException">A count is negative or a span's length does not match them.</exception>
    public static void AddChannelSums(ReadOnlySpan<float> preActivationGradient, int batch, int channels, int spatial, Span<float> biasGradient)
    {
        if (batch < 0 || channels < 0 || spatial < 0)
        {
            throw new ArgumentException(Format("Channel sums need non-negative sizes, got batch {0}, channels {1}, spatial {2}.", batch, channels, spatial));
        }

        long expected = (long)batch * channels * spatial;
        if (preActivationGradient.Length != expected)
        {
            throw new ArgumentException(Format("preActivationGradient has {0} elements but [N = {1}, C = {2}, spatial = {3}] needs exactly {4}.",
                preActivationGradient.Length, batch, channels, spatial, expected), nameof(preActivationGradient));
        }

        if (biasGradient.Length != channels)
        {
            throw new ArgumentException(Format("biasGradient has {0} elements but C = {1} channels need exactly {1}.", biasGradient.Length, channels),
                nameof(biasGradient));
        }

        ref float dz = ref MemoryMarshal.GetReference(preActivationGradient);
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                biasGradient[c] += Sum(ref Unsafe.Add(ref dz, ((nint)n * channels + c) * spatial), spatial);
            }
        }
    }

    private static void Check(in ConvGeometry g, int inputLength, TensorShape inputShape, int weightsLength, int gradientLength,
        TensorShape outputShape, int inputGradientLength, int weightGradientLength, int biasGradientLength)
    {
        if (t_validated is not { } known || known != g)
        {
            g.Validate();
            t_validated = g;
        }

        TensorShape expected = LayerGuard.OutputShape(g, inputShape, LayerName);
        if (outputShape != expected)
        {
            throw Fail(g, nameof(outputShape), "output shape {0} is not the output of input shape {1}, which is {2}.", outputShape, inputShape, expected);
        }

        if (inputLength != inputShape.ElementCount)
        {
            throw Fail(g, "input", "input has {0} elements but the input shape {1} needs exactly {2}.", inputLength, inputShape, inputShape.ElementCount);
        }

        if (gradientLength != outputShape.ElementCount)
        {
            throw Fail(g, "preActivationGradient", "preActivationGradient has {0} elements but the output shape {1} needs exactly {2}.",
                gradientLength, outputShape, outputShape.ElementCount);
        }

        if (inputGradientLength != 0 && inputGradientLength != inputShape.ElementCount)
        {
            throw Fail(g, "inputGradient", "inputGradient has {0} elements but the input shape {1} needs exactly {2} (or 0 to skip it).",
                inputGradientLength, inputShape, inputShape.ElementCount);
        }

        if (weightsLength != g.WeightCount)
        {
            throw Fail(g, "weights", "weights has {0} elements but the layer needs exactly {1}.", weightsLength, g.WeightCount);
        }

        if (weightGradientLength != g.WeightCount)
        {
            throw Fail(g, "weightGradient", "weightGradient has {0} elements but the layer needs exactly {1}.", weightGradientLength, g.WeightCount);
        }

        if (biasGradientLength != 0 && biasGradientLength != g.OutChannels)
        {
            throw Fail(g, "biasGradient", "biasGradient has {0} elements but the layer needs exactly {1}, one per output channel (or 0 to skip it).",
                biasGradientLength, g.OutChannels);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The three kinds.
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>A convolution: E = dZ over the output grid, G = the staged input; dX comes back through the padded grid.</summary>
    private static void Convolution(in ConvGeometry g, in Pads pads, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> dz, TensorShape o, Span<float> dx, Span<float> dw)
    {
        Staging lay = Staging.Of(g, s, pads, s.C);
        var pass = new Pass(g.OutChannels, g.OutChannelsPerGroup, g.InChannelsPerGroup, g, o, lay);
        bool wantDx = !dx.IsEmpty;
        int staged = lay.Dense ? 0 : s.C * lay.Channel;
        Span<float> scratch = TakeScratch(g, s, staged, wantDx ? staged : 0);
        long at = 0;
        Span<float> xs = Next(scratch, ref at, staged);
        Span<float> dxs = Next(scratch, ref at, wantDx ? staged : 0);
        Span<int> columns = wantDx && !lay.Dense ? ColumnMap(lay, s.W, g.StrideW, g.PaddingMode) : default;

        int inImage = (int)(s.C * s.SpatialSize), outImage = (int)(o.C * o.SpatialSize);
        for (int n = 0; n < s.N; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * inImage, inImage);
            ReadOnlySpan<float> gathered = x;
            if (!lay.Dense)
            {
                Stage(x, s, lay, g.StrideW, g.PaddingMode, xs);
                gathered = xs;
            }

            ReadOnlySpan<float> e = dz.Slice(n * outImage, outImage);
            if (!wantDx)
            {
                Image(pass, e, gathered, weights, dw, default, Flow.WeightsOnly);
                continue;
            }

            Span<float> image = dx.Slice(n * inImage, inImage);
            Span<float> padded = lay.Dense ? image : dxs;
            padded.Clear();
            Image(pass, e, gathered, weights, dw, padded, Flow.Scatter);
            if (!lay.Dense)
            {
                image.Clear();
                Fold(dxs, image, s, lay, g.StrideW, g.PaddingMode, columns);
            }
        }
    }

    /// <summary>
    /// A transposed layer: E = the input over the input grid, G = dZ staged with zeros so that every tap's reach
    /// i·S − P + k·D is inside it; dX is gathered along E's rows.
    /// </summary>
    private static void Transposed(in ConvGeometry g, in Pads pads, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> dz, TensorShape o, Span<float> dx, Span<float> dw)
    {
        // The padded extent each axis needs: begin padding P, then the farthest reach (In − 1)·S + (K − 1)·D, at least
        // the whole output.
        Pads reach = new(
            pads.Front, End(s.D, g.StrideD, g.KernelD, g.DilationD, pads.Front, o.D),
            pads.Top, End(s.H, g.StrideH, g.KernelH, g.DilationH, pads.Top, o.H),
            pads.Left, End(s.W, g.StrideW, g.KernelW, g.DilationW, pads.Left, o.W));
        Staging lay = Staging.Of(g, o, reach, o.C);
        var pass = new Pass(g.InChannels, g.InChannelsPerGroup, g.OutChannelsPerGroup, g, s, lay);
        int staged = lay.Dense ? 0 : o.C * lay.Channel;
        Span<float> dzs = TakeScratch(g, s, staged, 0).Slice(0, staged);

        int inImage = (int)(s.C * s.SpatialSize), outImage = (int)(o.C * o.SpatialSize);
        for (int n = 0; n < s.N; n++)
        {
            ReadOnlySpan<float> gradient = dz.Slice(n * outImage, outImage);
            ReadOnlySpan<float> gathered = gradient;
            if (!lay.Dense)
            {
                Stage(gradient, o, lay, g.StrideW, PaddingMode.Zeros, dzs);
                gathered = dzs;
            }

            ReadOnlySpan<float> x = input.Slice(n * inImage, inImage);
            if (dx.IsEmpty)
            {
                Image(pass, x, gathered, weights, dw, default, Flow.WeightsOnly);
                continue;
            }

            Span<float> image = dx.Slice(n * inImage, inImage);
            image.Clear();
            Image(pass, x, gathered, weights, dw, image, Flow.Gather);
        }

        static int End(int size, int stride, int kernel, int dilation, int padBegin, int outSize)
        {
            long needed = ((long)size - 1) * stride + (long)(kernel - 1) * dilation + 1;
            return (int)Math.Max(0, needed - padBegin - outSize);
        }
    }

    /// <summary>
    /// A separable layer: the depthwise output H is recomputed, the pointwise half gives dPW = dZ·Hᵀ and dH = PWᵀ·dZ
    /// over whole planes, then the depthwise half runs as a convolution with E = dH.
    /// </summary>
    private static void Separable(in ConvGeometry g, in Pads pads, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> dz, TensorShape o, Span<float> dx, Span<float> dw)
    {
        (ConvGeometry depthwise, _) = GeneralConvLayer.SeparableHalves(g);
        int mid = g.DepthwiseChannels, spatial = (int)o.SpatialSize;
        TensorShape image = s with { N = 1 };
        TensorShape middle = o with { N = 1, C = mid };
        Staging lay = Staging.Of(g, s, pads, s.C);
        GeneralConvKernel.Layout forward = GeneralConvKernel.Plan(depthwise, image, middle).Layout;
        if (forward.ChannelSize != lay.Channel || forward.OyStep != (nint)g.StrideH * lay.RowStride
            || forward.KxWrap != 1 - (nint)g.StrideW * lay.PhaseLength)
        {
            throw new InvalidOperationException("The depthwise forward kernel stages its input differently from the backward pass.");
        }

        var pointwise = new Pass(g.OutChannels, g.OutChannels, mid, spatial);
        var depth = new Pass(mid, g.DepthMultiplier, 1, g, o, lay);
        ReadOnlySpan<float> dwWeights = weights.Slice(0, g.DepthwiseWeightCount), pwWeights = weights.Slice(g.DepthwiseWeightCount);
        Span<float> dwGradient = dw.Slice(0, g.DepthwiseWeightCount), pwGradient = dw.Slice(g.DepthwiseWeightCount);

        bool wantDx = !dx.IsEmpty;
        int staged = lay.Dense ? 0 : s.C * lay.Channel, plane = mid * spatial;
        Span<float> scratch = TakeScratch(g, s, staged, wantDx ? staged : 0, plane, plane);
        long at = 0;
        Span<float> xs = Next(scratch, ref at, staged);
        Span<float> dxs = Next(scratch, ref at, wantDx ? staged : 0);
        Span<float> h = Next(scratch, ref at, plane);
        Span<float> dh = Next(scratch, ref at, plane);
        Span<int> columns = wantDx && !lay.Dense ? ColumnMap(lay, s.W, g.StrideW, g.PaddingMode) : default;

        int inImage = (int)(s.C * s.SpatialSize), outImage = (int)(o.C * o.SpatialSize);
        for (int n = 0; n < s.N; n++)
        {
            ReadOnlySpan<float> x = input.Slice(n * inImage, inImage);
            ReadOnlySpan<float> gathered = x;
            if (!lay.Dense)
            {
                Stage(x, s, lay, g.StrideW, g.PaddingMode, xs);
                gathered = xs;
            }

            GeneralConvKernel.Convolve(forward, ref MemoryMarshal.GetReference(gathered), dwWeights, ReadOnlySpan<float>.Empty, h);
            dh.Clear();
            Image(pointwise, dz.Slice(n * outImage, outImage), h, pwWeights, pwGradient, dh, Flow.Scatter);
            if (!wantDx)
            {
                Image(depth, dh, gathered, dwWeights, dwGradient, default, Flow.WeightsOnly);
                continue;
            }

            Span<float> imageGradient = dx.Slice(n * inImage, inImage);
            Span<float> padded = lay.Dense ? imageGradient : dxs;
            padded.Clear();
            Image(depth, dh, gathered, dwWeights, dwGradient, padded, Flow.Scatter);
            if (!lay.Dense)
            {
                imageGradient.Clear();
                Fold(dxs, imageGradient, s, lay, g.StrideW, g.PaddingMode, columns);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Staging, folding, scratch.
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// How a gathered tensor is staged, per channel: padded extents and, along the width, StrideW phases of
    /// <see cref="PhaseLength"/> floats (padded column c at phase c mod S, index c / S), as <see cref="PlaneStaging"/> and
    /// <see cref="GeneralConvKernel"/> lay it out.
    /// </summary>
    private readonly struct Staging
    {
        private Staging(Pads pads, int depth, int height, int phaseLength, int rowStride, bool dense)
        {
            Pads = pads;
            Depth = depth;
            Height = height;
            PhaseLength = phaseLength;
            RowStride = rowStride;
            Plane = height * rowStride;
            Channel = depth * Plane;
            Dense = dense;
        }

        public Pads Pads { get; }

        /// <summary>Padded planes per channel.</summary>
        public int Depth { get; }

        /// <summary>Padded rows per plane.</summary>
        public int Height { get; }

        public int PhaseLength { get; }

        /// <summary>StrideW·PhaseLength.</summary>
        public int RowStride { get; }

        public int Plane { get; }

        public int Channel { get; }

        /// <summary>No padding and stride 1 along the width: the staged tensor is the tensor itself, so nothing is copied.</summary>
        public bool Dense { get; }

        /// <summary>The staging of a tensor of shape <paramref name="s"/> (its spatial axes) padded by <paramref name="p"/>.</summary>
        public static Staging Of(in ConvGeometry g, TensorShape s, Pads p, int channels)
        {
            long width = (long)s.W + p.Left + p.Right;
            long phase = (width + g.StrideW - 1) / g.StrideW;
            long row = phase * g.StrideW;
            long height = (long)s.H + p.Top + p.Bottom, depth = (long)s.D + p.Front + p.Back;
            long channel = depth * height * row;
            if (channels * channel > Array.MaxLength)
            {
                throw Fail(g, "inputShape", "the tensor {0} staged with its padding needs {1} x {2} = {3} floats, more than an array holds.",
                    s, channels, channel, channels * channel);
            }

            return new Staging(p, (int)depth, (int)height, (int)phase, (int)row, p == default && g.StrideW == 1);
        }
    }

    /// <summary>
    /// Stages every channel of one image: each padded plane is the plane the padding mode picks along the depth (or
    /// zeros), padded and phase-split by <see cref="PlaneStaging.Stage(ReadOnlySpan{float}, int, int, Span{float}, int, int, int, int, int, int, PaddingMode)"/>.
    /// </summary>
    private static void Stage(ReadOnlySpan<float> image, TensorShape s, in Staging lay, int strideW, PaddingMode mode, Span<float> staged)
    {
        Pads p = lay.Pads;
        int inPlane = s.H * s.W;
        for (int c = 0; c < s.C; c++)
        {
            for (int d = 0; d < lay.Depth; d++)
            {
                Span<float> dst = staged.Slice(c * lay.Channel + d * lay.Plane, lay.Plane);
                int source = PlaneStaging.SourceIndex(d - p.Front, s.D, mode);
                if (source < 0)
                {
                    dst.Clear();
                    continue;
                }

                PlaneStaging.Stage(image.Slice((c * s.D + source) * inPlane, inPlane), s.H, s.W, dst,
                    p.Top, p.Bottom, p.Left, p.Right, strideW, lay.RowStride, mode);
            }
        }
    }

    /// <summary>
    /// For every padded column x of a staged row: at [x] the input column its mode reads (−1 for a zero), at
    /// [paddedWidth + x] its offset in the staged row.
    /// </summary>
    private static Span<int> ColumnMap(in Staging lay, int width, int strideW, PaddingMode mode)
    {
        int padded = width + lay.Pads.Left + lay.Pads.Right;
        Span<int> map = GradientScratch.GetInts(2 * padded);
        for (int x = 0; x < padded; x++)
        {
            map[x] = PlaneStaging.SourceIndex(x - lay.Pads.Left, width, mode);
            map[padded + x] = x % strideW * lay.PhaseLength + x / strideW;
        }

        return map;
    }

    /// <summary>
    /// Adds the staged (padded, phase-split) input gradient of one image into the input gradient: every padded
    /// position's gradient to the input element its padding mode read, on all three axes.
    /// </summary>
    private static void Fold(ReadOnlySpan<float> staged, Span<float> image, TensorShape s, in Staging lay, int strideW, PaddingMode mode,
        ReadOnlySpan<int> columns)
    {
        Pads p = lay.Pads;
        int width = s.W, padded = width + p.Left + p.Right;
        ReadOnlySpan<int> source = columns.Slice(0, padded), offset = columns.Slice(padded, padded);
        for (int c = 0; c < s.C; c++)
        {
            for (int d = 0; d < lay.Depth; d++)
            {
                int z = PlaneStaging.SourceIndex(d - p.Front, s.D, mode);
                if (z < 0)
                {
                    continue;
                }

                for (int r = 0; r < lay.Height; r++)
                {
                    int y = PlaneStaging.SourceIndex(r - p.Top, s.H, mode);
                    if (y < 0)
                    {
                        continue;
                    }

                    ReadOnlySpan<float> src = staged.Slice(c * lay.Channel + d * lay.Plane + r * lay.RowStride, lay.RowStride);
                    Span<float> dst = image.Slice(((c * s.D + z) * s.H + y) * width, width);
                    if (strideW == 1)
                    {
                        // The input columns are one run of the staged row; only the borders go through the map.
                        Add(src.Slice(p.Left, width), dst);
                        for (int x = 0; x < p.Left; x++)
                        {
                            Accumulate(dst, source[x], src[x]);
                        }

                        for (int x = p.Left + width; x < padded; x++)
                        {
                            Accumulate(dst, source[x], src[x]);
                        }

                        continue;
                    }

                    for (int x = 0; x < padded; x++)
                    {
                        Accumulate(dst, source[x], src[offset[x]]);
                    }
                }
            }
        }

        static void Accumulate(Span<float> dst, int at, float value)
        {
            if (at >= 0)
            {
                dst[at] += value;
            }
        }
    }

    /// <summary>
    /// One span of this thread's gradient scratch for up to four sub-buffers (each rounded to 64 bytes, see
    /// <see cref="Next"/>), or an <see cref="ArgumentException"/> naming the sizes when they cannot fit in one array.
    /// </summary>
    private static Span<float> TakeScratch(scoped in ConvGeometry g, TensorShape s, int a, int b, int c = 0, int d = 0)
    {
        long total = GradientScratch.Aligned(a) + GradientScratch.Aligned(b) + GradientScratch.Aligned(c) + GradientScratch.Aligned(d);
        if (total > Array.MaxLength)
        {
            throw Fail(g, "inputShape", "input {0} needs {1} floats of backward scratch per image, more than an array holds.", s, total);
        }

        return GradientScratch.Get((int)total);
    }

    private static Span<float> Next(Span<float> scratch, scoped ref long at, int length)
    {
        Span<float> part = scratch.Slice((int)at, length);
        at += GradientScratch.Aligned(length);
        return part;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The pattern: for every (E channel, gathered channel of its group, tap), rows of dot products and axpys.
    // ------------------------------------------------------------------------------------------------------------

    private enum Flow
    {
        /// <summary>Weight gradient only.</summary>
        WeightsOnly,

        /// <summary>Also G's gradient += w · E, along G's staged rows (a convolution's padded input gradient).</summary>
        Scatter,

        /// <summary>Also E's gradient += w · G, along E's rows (a transposed layer's input gradient).</summary>
        Gather,
    }

    /// <summary>
    /// One image of the pattern: E has <see cref="EChannels"/> channels of DenseD×DenseH×DenseW, contiguous; E channel
    /// e belongs to group e / EPerGroup and reads G channels group·GPerGroup + j, j &lt; GPerGroup, through weight
    /// (e·GPerGroup + j)·taps + tap. E position (d, h, w) and tap (a, b, c) meet G at staged offset
    /// (d·Sd + a·Dd)·plane + (h·Sh + b·Dh)·row + phase((c·Dw) mod Sw) + w + (c·Dw) / Sw.
    /// </summary>
    private readonly struct Pass
    {
        /// <summary>A convolution-shaped pass over the spatial grid of <paramref name="dense"/>, reading G as <paramref name="lay"/> stages it.</summary>
        public Pass(int eChannels, int ePerGroup, int gPerGroup, in ConvGeometry g, TensorShape dense, in Staging lay)
        {
            EChannels = eChannels;
            EPerGroup = ePerGroup;
            GPerGroup = gPerGroup;
            Kd = g.KernelD;
            Kh = g.KernelH;
            Kw = g.KernelW;
            Sw = g.StrideW;
            Dw = g.DilationW;
            DenseD = dense.D;
            DenseH = dense.H;
            DenseW = dense.W;
            PhaseLength = lay.PhaseLength;
            GChannel = lay.Channel;
            GPlaneStep = (nint)g.StrideD * lay.Plane;
            GRowStep = (nint)g.StrideH * lay.RowStride;
            KdStep = (nint)g.DilationD * lay.Plane;
            KhStep = (nint)g.DilationH * lay.RowStride;
        }

        /// <summary>A 1×1 pass over planes of <paramref name="pixels"/> (a separable layer's pointwise half): one row per channel.</summary>
        public Pass(int eChannels, int ePerGroup, int gPerGroup, int pixels)
        {
            EChannels = eChannels;
            EPerGroup = ePerGroup;
            GPerGroup = gPerGroup;
            Kd = Kh = Kw = Sw = Dw = DenseD = DenseH = 1;
            DenseW = PhaseLength = pixels;
            GChannel = pixels;
            GPlaneStep = GRowStep = KdStep = KhStep = 0;
        }

        public int EChannels { get; }
        public int EPerGroup { get; }
        public int GPerGroup { get; }
        public int Kd { get; }
        public int Kh { get; }
        public int Kw { get; }
        public int Sw { get; }
        public int Dw { get; }
        public int DenseD { get; }
        public int DenseH { get; }
        public int DenseW { get; }
        public int PhaseLength { get; }
        public nint GChannel { get; }
        public nint GPlaneStep { get; }
        public nint GRowStep { get; }
        public nint KdStep { get; }
        public nint KhStep { get; }

        public int Taps => Kd * Kh * Kw;

        public int DenseSize => DenseD * DenseH * DenseW;

        /// <summary>Offset in a staged row of tap <paramref name="kw"/>'s first column.</summary>
        public nint Column(int kw)
        {
            int reach = kw * Dw;
            return (nint)(reach % Sw) * PhaseLength + reach / Sw;
        }
    }

    /// <summary>One image: adds to <paramref name="dw"/>, and to <paramref name="gradient"/> as <paramref name="flow"/> says.</summary>
    private static void Image(in Pass p, ReadOnlySpan<float> e, ReadOnlySpan<float> gathered, ReadOnlySpan<float> w, Span<float> dw,
        Span<float> gradient, Flow flow)
    {
        int taps = p.Taps, eSize = p.DenseSize;
        long groups = p.EChannels / p.EPerGroup;
        long weightCount = (long)p.EChannels * p.GPerGroup * taps;

        // The loops below index without bounds checks: make sure once that every span is as long as they assume.
        if (e.Length < (long)p.EChannels * eSize || gathered.Length < groups * p.GPerGroup * p.GChannel
            || w.Length < weightCount || dw.Length < weightCount
            || (flow == Flow.Scatter && gradient.Length < gathered.Length) || (flow == Flow.Gather && gradient.Length < e.Length))
        {
            throw new InvalidOperationException("Backward pass spans shorter than its plan.");
        }

        ref float e0 = ref MemoryMarshal.GetReference(e);
        ref float g0 = ref MemoryMarshal.GetReference(gathered);
        ref float grad0 = ref MemoryMarshal.GetReference(gradient);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float dw0 = ref MemoryMarshal.GetReference(dw);

        // Four channels at a time on the side that is only read, so that each load of the written row (or of the
        // shared row) feeds four multiply-adds: four E channels sharing one G row for a convolution, four G channels
        // sharing one E row for a transposed layer. Leftover channels run one at a time.
        bool tileG = flow == Flow.Gather;
        nint eStride = eSize, weightStrideE = (nint)p.GPerGroup * taps;
        for (int group = 0; group < groups; group++)
        {
            int ec = group * p.EPerGroup, eEnd = ec + p.EPerGroup;
            while (ec < eEnd)
            {
                int eTile = !tileG && eEnd - ec >= 4 ? 4 : 1;
                nint eChannel = (nint)ec * eSize;
                int j = 0;
                while (j < p.GPerGroup)
                {
                    int gTile = tileG && p.GPerGroup - j >= 4 ? 4 : 1;
                    nint gChannel = ((nint)group * p.GPerGroup + j) * p.GChannel;
                    nint at = ((nint)ec * p.GPerGroup + j) * taps;
                    for (int kd = 0; kd < p.Kd; kd++)
                    {
                        for (int kh = 0; kh < p.Kh; kh++)
                        {
                            nint rowTap = gChannel + kd * p.KdStep + kh * p.KhStep;
                            for (int kw = 0; kw < p.Kw; kw++, at++)
                            {
                                nint tap = rowTap + p.Column(kw);
                                ref float et = ref Unsafe.Add(ref e0, eChannel);
                                ref float gt = ref Unsafe.Add(ref g0, tap);
                                ref float wt = ref Unsafe.Add(ref w0, at);
                                ref float dwt = ref Unsafe.Add(ref dw0, at);
                                if (eTile == 4)
                                {
                                    Vector128<float> sums = flow == Flow.Scatter
                                        ? ScatterE4(p, ref et, eStride, ref gt, ref Unsafe.Add(ref grad0, tap), Vector128.Create(
                                            wt, Unsafe.Add(ref wt, weightStrideE), Unsafe.Add(ref wt, 2 * weightStrideE), Unsafe.Add(ref wt, 3 * weightStrideE)))
                                        : DotE4(p, ref et, eStride, ref gt);
                                    for (int t = 0; t < 4; t++)
                                    {
                                        Unsafe.Add(ref dwt, t * weightStrideE) += sums.GetElement(t);
                                    }
                                }
                                else if (gTile == 4)
                                {
                                    Vector128<float> sums = GatherG4(p, ref et, ref gt, p.GChannel, ref Unsafe.Add(ref grad0, eChannel),
                                        Vector128.Create(wt, Unsafe.Add(ref wt, taps), Unsafe.Add(ref wt, 2 * taps), Unsafe.Add(ref wt, 3 * taps)));
                                    for (int t = 0; t < 4; t++)
                                    {
                                        Unsafe.Add(ref dwt, t * taps) += sums.GetElement(t);
                                    }
                                }
                                else
                                {
                                    dwt += flow switch
                                    {
                                        Flow.Scatter => DotScatter(p, ref et, ref gt, ref Unsafe.Add(ref grad0, tap), wt),
                                        Flow.Gather => DotGather(p, ref et, ref gt, ref Unsafe.Add(ref grad0, eChannel), wt),
                                        _ => Dot(p, ref et, ref gt),
                                    };
                                }
                            }
                        }
                    }

                    j += gTile;
                }

                ec += eTile;
            }
        }
    }

    /// <summary>Σ over the rows of four E channels (<paramref name="eStride"/> apart) of E row · the one G row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> DotE4(in Pass p, ref float e, nint eStride, ref float g)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        Vector128<float> tail = Vector128<float>.Zero;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                ref float gRow = ref Unsafe.Add(ref g, d * p.GPlaneStep + h * p.GRowStep);
                ref float e1 = ref Unsafe.Add(ref e, eStride);
                ref float e2 = ref Unsafe.Add(ref e, 2 * eStride);
                ref float e3 = ref Unsafe.Add(ref e, 3 * eStride);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    Vector<float> gv = Load(ref gRow, x);
                    a0 += Load(ref e, x) * gv;
                    a1 += Load(ref e1, x) * gv;
                    a2 += Load(ref e2, x) * gv;
                    a3 += Load(ref e3, x) * gv;
                }

                for (; x < width; x++)
                {
                    tail += Vector128.Create(Unsafe.Add(ref e, x), Unsafe.Add(ref e1, x), Unsafe.Add(ref e2, x), Unsafe.Add(ref e3, x))
                        * Unsafe.Add(ref gRow, x);
                }

                e = ref Unsafe.Add(ref e, width);
            }
        }

        return Vector128.Create(Vector.Sum(a0), Vector.Sum(a1), Vector.Sum(a2), Vector.Sum(a3)) + tail;
    }

    /// <summary>
    /// Σ over the rows of four E channels (<paramref name="eStride"/> apart) of E row · the one G row, and G's gradient
    /// row += Σ weight[t] · E row t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> ScatterE4(in Pass p, ref float e, nint eStride, ref float g, ref float dg, Vector128<float> weights)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        Vector<float> w0 = new(weights.GetElement(0)), w1 = new(weights.GetElement(1)), w2 = new(weights.GetElement(2)), w3 = new(weights.GetElement(3));
        Vector128<float> tail = Vector128<float>.Zero;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                nint row = d * p.GPlaneStep + h * p.GRowStep;
                ref float gRow = ref Unsafe.Add(ref g, row);
                ref float dgRow = ref Unsafe.Add(ref dg, row);
                ref float e1 = ref Unsafe.Add(ref e, eStride);
                ref float e2 = ref Unsafe.Add(ref e, 2 * eStride);
                ref float e3 = ref Unsafe.Add(ref e, 3 * eStride);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    Vector<float> gv = Load(ref gRow, x);
                    Vector<float> v0 = Load(ref e, x), v1 = Load(ref e1, x), v2 = Load(ref e2, x), v3 = Load(ref e3, x);
                    a0 += v0 * gv;
                    a1 += v1 * gv;
                    a2 += v2 * gv;
                    a3 += v3 * gv;
                    Store(Load(ref dgRow, x) + (w0 * v0 + w1 * v1) + (w2 * v2 + w3 * v3), ref dgRow, x);
                }

                for (; x < width; x++)
                {
                    var ev = Vector128.Create(Unsafe.Add(ref e, x), Unsafe.Add(ref e1, x), Unsafe.Add(ref e2, x), Unsafe.Add(ref e3, x));
                    tail += ev * Unsafe.Add(ref gRow, x);
                    Unsafe.Add(ref dgRow, x) += Vector128.Sum(weights * ev);
                }

                e = ref Unsafe.Add(ref e, width);
            }
        }

        return Vector128.Create(Vector.Sum(a0), Vector.Sum(a1), Vector.Sum(a2), Vector.Sum(a3)) + tail;
    }

    /// <summary>
    /// Σ over E's rows of E row · each of four G rows (channels <paramref name="gStride"/> apart), and E's gradient row
    /// += Σ weight[t] · G row t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> GatherG4(in Pass p, ref float e, ref float g, nint gStride, ref float de, Vector128<float> weights)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        Vector<float> w0 = new(weights.GetElement(0)), w1 = new(weights.GetElement(1)), w2 = new(weights.GetElement(2)), w3 = new(weights.GetElement(3));
        Vector128<float> tail = Vector128<float>.Zero;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                ref float g0 = ref Unsafe.Add(ref g, d * p.GPlaneStep + h * p.GRowStep);
                ref float g1 = ref Unsafe.Add(ref g0, gStride);
                ref float g2 = ref Unsafe.Add(ref g0, 2 * gStride);
                ref float g3 = ref Unsafe.Add(ref g0, 3 * gStride);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    Vector<float> ev = Load(ref e, x);
                    Vector<float> v0 = Load(ref g0, x), v1 = Load(ref g1, x), v2 = Load(ref g2, x), v3 = Load(ref g3, x);
                    a0 += ev * v0;
                    a1 += ev * v1;
                    a2 += ev * v2;
                    a3 += ev * v3;
                    Store(Load(ref de, x) + (w0 * v0 + w1 * v1) + (w2 * v2 + w3 * v3), ref de, x);
                }

                for (; x < width; x++)
                {
                    var gv = Vector128.Create(Unsafe.Add(ref g0, x), Unsafe.Add(ref g1, x), Unsafe.Add(ref g2, x), Unsafe.Add(ref g3, x));
                    tail += gv * Unsafe.Add(ref e, x);
                    Unsafe.Add(ref de, x) += Vector128.Sum(weights * gv);
                }

                e = ref Unsafe.Add(ref e, width);
                de = ref Unsafe.Add(ref de, width);
            }
        }

        return Vector128.Create(Vector.Sum(a0), Vector.Sum(a1), Vector.Sum(a2), Vector.Sum(a3)) + tail;
    }

    /// <summary>Σ over E's rows of E row · G row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(in Pass p, ref float e, ref float g)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> wide = Vector<float>.Zero;
        Vector128<float> narrow = Vector128<float>.Zero;
        float tail = 0;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                ref float gRow = ref Unsafe.Add(ref g, d * p.GPlaneStep + h * p.GRowStep);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    wide += Load(ref e, x) * Load(ref gRow, x);
                }

                if (Vector128.IsHardwareAccelerated)
                {
                    for (; x <= width - 4; x += 4)
                    {
                        narrow += Vector128.LoadUnsafe(ref e, (nuint)x) * Vector128.LoadUnsafe(ref gRow, (nuint)x);
                    }
                }

                for (; x < width; x++)
                {
                    tail += Unsafe.Add(ref e, x) * Unsafe.Add(ref gRow, x);
                }

                e = ref Unsafe.Add(ref e, width);
            }
        }

        return Vector.Sum(wide) + Vector128.Sum(narrow) + tail;
    }

    /// <summary>Σ over E's rows of E row · G row, and G's gradient row += weight · E row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotScatter(in Pass p, ref float e, ref float g, ref float dg, float weight)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> wide = Vector<float>.Zero, w = new(weight);
        Vector128<float> narrow = Vector128<float>.Zero, w4 = Vector128.Create(weight);
        float tail = 0;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                nint row = d * p.GPlaneStep + h * p.GRowStep;
                ref float gRow = ref Unsafe.Add(ref g, row);
                ref float dgRow = ref Unsafe.Add(ref dg, row);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    Vector<float> ev = Load(ref e, x);
                    wide += ev * Load(ref gRow, x);
                    Store(Load(ref dgRow, x) + w * ev, ref dgRow, x);
                }

                if (Vector128.IsHardwareAccelerated)
                {
                    for (; x <= width - 4; x += 4)
                    {
                        Vector128<float> ev = Vector128.LoadUnsafe(ref e, (nuint)x);
                        narrow += ev * Vector128.LoadUnsafe(ref gRow, (nuint)x);
                        (Vector128.LoadUnsafe(ref dgRow, (nuint)x) + w4 * ev).StoreUnsafe(ref dgRow, (nuint)x);
                    }
                }

                for (; x < width; x++)
                {
                    float ev = Unsafe.Add(ref e, x);
                    tail += ev * Unsafe.Add(ref gRow, x);
                    Unsafe.Add(ref dgRow, x) += weight * ev;
                }

                e = ref Unsafe.Add(ref e, width);
            }
        }

        return Vector.Sum(wide) + Vector128.Sum(narrow) + tail;
    }

    /// <summary>Σ over E's rows of E row · G row, and E's gradient row += weight · G row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float DotGather(in Pass p, ref float e, ref float g, ref float de, float weight)
    {
        int width = p.DenseW, count = Vector<float>.Count;
        Vector<float> wide = Vector<float>.Zero, w = new(weight);
        Vector128<float> narrow = Vector128<float>.Zero, w4 = Vector128.Create(weight);
        float tail = 0;
        for (int d = 0; d < p.DenseD; d++)
        {
            for (int h = 0; h < p.DenseH; h++)
            {
                ref float gRow = ref Unsafe.Add(ref g, d * p.GPlaneStep + h * p.GRowStep);
                int x = 0;
                for (; x <= width - count; x += count)
                {
                    Vector<float> gv = Load(ref gRow, x);
                    wide += Load(ref e, x) * gv;
                    Store(Load(ref de, x) + w * gv, ref de, x);
                }

                if (Vector128.IsHardwareAccelerated)
                {
                    for (; x <= width - 4; x += 4)
                    {
                        Vector128<float> gv = Vector128.LoadUnsafe(ref gRow, (nuint)x);
                        narrow += Vector128.LoadUnsafe(ref e, (nuint)x) * gv;
                        (Vector128.LoadUnsafe(ref de, (nuint)x) + w4 * gv).StoreUnsafe(ref de, (nuint)x);
                    }
                }

                for (; x < width; x++)
                {
                    float gv = Unsafe.Add(ref gRow, x);
                    tail += Unsafe.Add(ref e, x) * gv;
                    Unsafe.Add(ref de, x) += weight * gv;
                }

                e = ref Unsafe.Add(ref e, width);
                de = ref Unsafe.Add(ref de, width);
            }
        }

        return Vector.Sum(wide) + Vector128.Sum(narrow) + tail;
    }

    /// <summary>Sum of <paramref name="length"/> floats.</summary>
    private static float Sum(ref float values, int length)
    {
        int count = Vector<float>.Count, x = 0;
        Vector<float> wide = Vector<float>.Zero;
        for (; x <= length - count; x += count)
        {
            wide += Load(ref values, x);
        }

        float tail = 0;
        for (; x < length; x++)
        {
            tail += Unsafe.Add(ref values, x);
        }

        return Vector.Sum(wide) + tail;
    }

    /// <summary>dst += src, element by element.</summary>
    private static void Add(ReadOnlySpan<float> src, Span<float> dst)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        int length = Math.Min(src.Length, dst.Length), count = Vector<float>.Count, x = 0;
        for (; x <= length - count; x += count)
        {
            Store(Load(ref d, x) + Load(ref s, x), ref d, x);
        }

        for (; x < length; x++)
        {
            Unsafe.Add(ref d, x) += Unsafe.Add(ref s, x);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, ref float destination, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), value);

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static ArgumentException Fail(in ConvGeometry g, string parameter, string format, params object[] args)
        => new("Layer '" + LayerName + "' (" + g + ") " + Format(format, args), parameter);
}
