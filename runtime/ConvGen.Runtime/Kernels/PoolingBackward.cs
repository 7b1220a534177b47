using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

// The backward pass of max and average pooling, over the same grid as the forward pass: each output row is split into
// the windows that reach into the padding (handled one by one, with clipping) and the interior, which stride 1 and
// stride 2 handle a vector of outputs at a time. Max pooling finds each window's maximum again from the input with
// PyTorch's rule (a value replaces the maximum when greater or NaN, so ties go to the first in scan order d, h, w),
// tracking which tap won per lane, then sends each output gradient to its winner; average pooling adds dY / divisor to
// every input of the window (stride 2 interleaves the shares into the even and odd inputs). Windows that overlap
// (S < K) add up. Larger strides take every window one at a time.
public static partial class PoolingKernel
{
    /// <summary>Lanes of the widest vector: where the winning taps of a vector of windows are spilled.</summary>
    private const int MaxLanes = 16;

    /// <summary>
    /// The gradient of <see cref="Forward"/> with respect to its input: overwrites <paramref name="inputGradient"/> with
    /// the sum, over the windows each input is in, of the window's output gradient routed to the window's maximum (the
    /// first, in scan order, of equal ones) or divided by the window's divisor.
    /// </summary>
    /// <param name="max">Max pooling (true) or average pooling (false).</param>
    /// <param name="input">
    /// The forward pass's input; max pooling reads it to find each window's maximum, average pooling does not and also
    /// accepts an empty span.
    /// </param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="outputGradient">The loss gradient with respect to the output, of the shape <see cref="OutputShape"/> gives.</param>
    /// <param name="inputGradient">Overwritten: as many floats as the input shape holds, or empty to skip the work.</param>
    /// <param name="k">Window size on every spatial axis.</param>
    /// <param name="s">Stride on every spatial axis, already resolved (positive).</param>
    /// <param name="p">Padding on both ends of every spatial axis, at most K / 2.</param>
    /// <param name="countIncludePad">Average pooling only: whether padded zeros count in the divisor.</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// The shape does not fit the window, a span's length is wrong (the message names both sizes), or the input gradient
    /// overlaps another span.
    /// </exception>
    [SkipLocalsInit]
    public static void Backward(bool max, ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, int k, int s, int p, bool countIncludePad, string layer)
    {
        TensorShape outputShape = OutputShape(max, inputShape, k, s, p, layer);
        if ((max || !input.IsEmpty) && input.Length != inputShape.ElementCount)
        {
            throw Fail(layer, "input span has {0} elements but the input shape {1} needs exactly {2}{3}.",
                input.Length, inputShape, inputShape.ElementCount, max ? "" : " (or 0: average pooling does not read it)");
        }

        NetworkGuard.CheckGradients(layer, inputShape, outputShape, outputGradient.Length, inputGradient.Length);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        if (inputGradient.Overlaps(input) || inputGradient.Overlaps(outputGradient))
        {
            throw Fail(layer, "input gradient span overlaps the input or the output gradient; the backward pass of pooling cannot run in place.");
        }

        var g = new Grid(inputShape, outputShape, k, s, p, countIncludePad);
        Span<float> lanes = stackalloc float[MaxLanes];
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float dy = ref MemoryMarshal.GetReference(outputGradient);
        ref float dx = ref MemoryMarshal.GetReference(inputGradient);
        ref float spill = ref MemoryMarshal.GetReference(lanes);
        if (max)
        {
            BackwardDispatch<MaxMode>(ref x, ref dy, ref dx, g, ref spill);
        }
        else
        {
            BackwardDispatch<AvgMode>(ref x, ref dy, ref dx, g, ref spill);
        }
    }

    private static void BackwardDispatch<TMode>(ref float x, ref float dy, ref float dx, in Grid g, ref float spill)
        where TMode : struct, IPoolMode
    {
        // As in the forward pass, the width is the widest one the interior of a row fills.
        int span = g.Path is RowPath.Stride1 or RowPath.Stride2 ? g.VectorEnd - g.First : 0;
        if (Vector512.IsHardwareAccelerated && span >= Vector512<float>.Count)
        {
            BackwardPlanes<Back512, Vector512<float>, TMode>(ref x, ref dy, ref dx, g, ref spill);
        }
        else if (Vector256.IsHardwareAccelerated && span >= Vector256<float>.Count)
        {
            BackwardPlanes<Back256, Vector256<float>, TMode>(ref x, ref dy, ref dx, g, ref spill);
        }
        else if (Vector128.IsHardwareAccelerated && span >= Vector128<float>.Count)
        {
            BackwardPlanes<Back128, Vector128<float>, TMode>(ref x, ref dy, ref dx, g, ref spill);
        }
        else
        {
            BackwardPlanes<BackScalar, float, TMode>(ref x, ref dy, ref dx, g, ref spill);
        }
    }

    private static void BackwardPlanes<TOps, TVec, TMode>(ref float input, ref float outputGradient, ref float inputGradient, in Grid g, ref float spill)
        where TOps : struct, IPoolBackVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        nint inPlane = (nint)g.D.In * g.H.In * g.W.In, outPlane = (nint)g.D.Out * g.H.Out * g.W.Out;
        for (int plane = 0; plane < g.Planes; plane++)
        {
            // Average pooling never reads the input, which may be empty: its reference is never dereferenced.
            ref float x = ref TMode.IsMax ? ref Unsafe.Add(ref input, plane * inPlane) : ref input;
            ref float dx = ref Unsafe.Add(ref inputGradient, plane * inPlane);
            ref float dy = ref Unsafe.Add(ref outputGradient, plane * outPlane);
            MemoryMarshal.CreateSpan(ref dx, (int)inPlane).Clear();
            for (int od = 0; od < g.D.Out; od++)
            {
                (int d0, int d1, int dCount) = g.D.Window(od, g.CountIncludePad);
                for (int oh = 0; oh < g.H.Out; oh++)
                {
                    (int h0, int h1, int hCount) = g.H.Window(oh, g.CountIncludePad);
                    var rows = new Rows(d0, d1, h0, h1, g.H.In, g.W.In, dCount * hCount);
                    ref float dyRow = ref Unsafe.Add(ref dy, ((nint)od * g.H.Out + oh) * g.W.Out);
                    BackwardRow<TOps, TVec, TMode>(ref x, rows, ref dyRow, ref dx, g, ref spill);
                }
            }
        }
    }

    /// <summary>One output row's gradients: the vectorized interior where the path allows it, every other window one at a time.</summary>
    private static void BackwardRow<TOps, TVec, TMode>(ref float x, in Rows rows, ref float dy, ref float dx, in Grid g, ref float spill)
        where TOps : struct, IPoolBackVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        for (int ow = 0; ow < g.First; ow++)
        {
            BackwardWindow<TMode>(ref x, rows, ow, g, Unsafe.Add(ref dy, ow), ref dx);
        }

        int done = g.Path switch
        {
            RowPath.Stride1 => BackwardStride1<TOps, TVec, TMode>(ref x, rows, ref dy, ref dx, g, ref spill),
            RowPath.Stride2 => BackwardStride2<TOps, TVec, TMode>(ref x, rows, ref dy, ref dx, g, ref spill),
            _ => g.First,
        };

        for (int ow = done; ow < g.W.Out; ow++)
        {
            BackwardWindow<TMode>(ref x, rows, ow, g, Unsafe.Add(ref dy, ow), ref dx);
        }
    }

    /// <summary>One window of any position: clipped to the input, with PyTorch's divisor and tie rule.</summary>
    private static void BackwardWindow<TMode>(ref float x, in Rows rows, int ow, in Grid g, float gradient, ref float dx)
        where TMode : struct, IPoolMode
    {
        (int w0, int w1, int wCount) = g.W.Window(ow, g.CountIncludePad);
        if (TMode.IsMax)
        {
            // PyTorch starts from −∞ at the window's first real position and replaces it by a greater value or NaN.
            nint best = rows.Offset(rows.D0, rows.H0) + w0;
            float bestValue = float.NegativeInfinity;
            for (int d = rows.D0; d < rows.D1; d++)
            {
                for (int h = rows.H0; h < rows.H1; h++)
                {
                    nint row = rows.Offset(d, h);
                    for (int w = w0; w < w1; w++)
                    {
                        float v = Unsafe.Add(ref x, row + w);
                        if (v > bestValue || float.IsNaN(v))
                        {
                            bestValue = v;
                            best = row + w;
                        }
                    }
                }
            }

            Unsafe.Add(ref dx, best) += gradient;
            return;
        }

        float share = gradient / ((float)rows.Count * wCount);
        for (int d = rows.D0; d < rows.D1; d++)
        {
            for (int h = rows.H0; h < rows.H1; h++)
            {
                ref float r = ref Unsafe.Add(ref dx, rows.Offset(d, h));
                for (int w = w0; w < w1; w++)
                {
                    Unsafe.Add(ref r, w) += share;
                }
            }
        }
    }

    /// <summary>Stride 1: the windows of a vector of outputs are K shifted vectors per input row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BackwardStride1<TOps, TVec, TMode>(ref float x, in Rows rows, ref float dy, ref float dx, in Grid g, ref float spill)
        where TOps : struct, IPoolBackVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count, end = g.VectorEnd, k = g.K, o = g.First;

        // Whole vectors only: a vector moved back over outputs already done would add their gradients twice.
        if (TMode.IsMax)
        {
            for (; o + count <= end; o += count)
            {
                nint w0 = o - g.P;
                TVec best = TOps.Broadcast(float.NegativeInfinity), winner = TOps.Broadcast(0f); // tap 0: all bits zero
                int tap = 0;
                for (int d = rows.D0; d < rows.D1; d++)
                {
                    for (int h = rows.H0; h < rows.H1; h++)
                    {
                        ref float r = ref Unsafe.Add(ref x, rows.Offset(d, h) + w0);
                        for (int kw = 0; kw < k; kw++, tap++)
                        {
                            TOps.TakeIfGreater(ref best, ref winner, TOps.Load(ref r, (nuint)kw), tap);
                        }
                    }
                }

                Route<TOps, TVec>(winner, ref spill, rows, o, 1, g, ref dy, ref dx);
            }

            return o;
        }

        TVec divisor = TOps.Broadcast((float)rows.Count * k);
        for (; o + count <= end; o += count)
        {
            TVec share = TOps.Divide(TOps.Load(ref dy, (nuint)o), divisor);
            nint w0 = o - g.P;
            for (int d = rows.D0; d < rows.D1; d++)
            {
                for (int h = rows.H0; h < rows.H1; h++)
                {
                    ref float r = ref Unsafe.Add(ref dx, rows.Offset(d, h) + w0);
                    for (int kw = 0; kw < k; kw++)
                    {
                        TOps.Store(TOps.Add(TOps.Load(ref r, (nuint)kw), share), ref r, (nuint)kw);
                    }
                }
            }
        }

        return o;
    }

    /// <summary>
    /// Stride 2: the 2·Count inputs from 2·o − P + 2m are taps 2m (even lanes) and 2m + 1 (odd lanes) of the vector's
    /// windows, for m up to K / 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BackwardStride2<TOps, TVec, TMode>(ref float x, in Rows rows, ref float dy, ref float dx, in Grid g, ref float spill)
        where TOps : struct, IPoolBackVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count, end = g.VectorEnd, k = g.K, o = g.First;
        if (TMode.IsMax)
        {
            for (; o + count <= end; o += count)
            {
                nint w0 = 2 * (nint)o - g.P;
                TVec best = TOps.Broadcast(float.NegativeInfinity), winner = TOps.Broadcast(0f); // tap 0: all bits zero
                int tap = 0;
                for (int d = rows.D0; d < rows.D1; d++)
                {
                    for (int h = rows.H0; h < rows.H1; h++)
                    {
                        ref float r = ref Unsafe.Add(ref x, rows.Offset(d, h) + w0);
                        for (int m = 0; 2 * m < k; m++)
                        {
                            TVec lo = TOps.Load(ref r, (nuint)(2 * m)), hi = TOps.Load(ref r, (nuint)(2 * m + count));
                            TOps.TakeIfGreater(ref best, ref winner, TOps.Evens(lo, hi), tap++);
                            if (2 * m + 1 < k)
                            {
                                TOps.TakeIfGreater(ref best, ref winner, TOps.Odds(lo, hi), tap++);
                            }
                        }
                    }
                }

                Route<TOps, TVec>(winner, ref spill, rows, o, 2, g, ref dy, ref dx);
            }

            return o;
        }

        TVec divisor = TOps.Broadcast((float)rows.Count * k), zero = TOps.Broadcast(0f);
        for (; o + count <= end; o += count)
        {
            TVec share = TOps.Divide(TOps.Load(ref dy, (nuint)o), divisor);
            TVec bothLo = TOps.InterleaveLower(share, share), bothHi = TOps.InterleaveUpper(share, share);
            TVec evenLo = TOps.InterleaveLower(share, zero), evenHi = TOps.InterleaveUpper(share, zero);
            nint w0 = 2 * (nint)o - g.P;
            for (int d = rows.D0; d < rows.D1; d++)
            {
                for (int h = rows.H0; h < rows.H1; h++)
                {
                    ref float r = ref Unsafe.Add(ref dx, rows.Offset(d, h) + w0);
                    for (int m = 0; 2 * m < k; m++)
                    {
                        // Taps 2m and 2m + 1 both get the share; a last odd tap 2m alone adds zero to its odd neighbour.
                        bool pair = 2 * m + 1 < k;
                        nuint at = (nuint)(2 * m);
                        TOps.Store(TOps.Add(TOps.Load(ref r, at), pair ? bothLo : evenLo), ref r, at);
                        TOps.Store(TOps.Add(TOps.Load(ref r, at + (nuint)count), pair ? bothHi : evenHi), ref r, at + (nuint)count);
                    }
                }
            }
        }

        return o;
    }

    /// <summary>
    /// Adds dy[o + l] to the input that won lane l's window, from its tap number in scan order (d, h, w), for the
    /// Count windows starting at (o + l)·<paramref name="stride"/> − P.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Route<TOps, TVec>(TVec winner, ref float spill, in Rows rows, int o, int stride, in Grid g, ref float dy, ref float dx)
        where TOps : struct, IPoolBackVector<TVec>
        where TVec : struct
    {
        TOps.Store(winner, ref spill, 0);
        int k = g.K, height = rows.H1 - rows.H0;
        for (int l = 0; l < TOps.Count; l++)
        {
            int tap = Unsafe.As<float, int>(ref Unsafe.Add(ref spill, l));
            int row = tap / k, kw = tap - row * k;
            int dd = row / height, hh = row - dd * height;
            nint at = rows.Offset(rows.D0 + dd, rows.H0 + hh) + (nint)(o + l) * stride - g.P + kw;
            Unsafe.Add(ref dx, at) += Unsafe.Add(ref dy, o + l);
        }
    }

    /// <summary>The vector operations of the backward pass, one struct per width so each gets its own compiled copy.</summary>
    private interface IPoolBackVector<TVec>
        where TVec : struct
    {
        static abstract int Count { get; }

        static abstract TVec Load(ref float source, nuint offset);

        static abstract void Store(TVec value, ref float destination, nuint offset);

        static abstract TVec Broadcast(float value);

        static abstract TVec Add(TVec a, TVec b);

        static abstract TVec Divide(TVec a, TVec b);

        /// <summary>Lanes 0, 2, 4, … of the 2·Count values lo then hi.</summary>
        static abstract TVec Evens(TVec lo, TVec hi);

        /// <summary>Lanes 1, 3, 5, … of the 2·Count values lo then hi.</summary>
        static abstract TVec Odds(TVec lo, TVec hi);

        /// <summary>a₀, b₀, a₁, b₁, … over the lower half of the lanes: the first Count of the 2·Count interleaved values.</summary>
        static abstract TVec InterleaveLower(TVec a, TVec b);

        /// <summary>The last Count of the 2·Count interleaved values a₀, b₀, a₁, b₁, ….</summary>
        static abstract TVec InterleaveUpper(TVec a, TVec b);

        /// <summary>
        /// Per lane, PyTorch's max-pooling step: where value &gt; best or value is NaN, best = value and winner = tap, the
        /// int's bits in the float lane (moved, never computed with, so any tap count is exact).
        /// </summary>
        static abstract void TakeIfGreater(ref TVec best, ref TVec winner, TVec value, int tap);
    }

    // Evens and odds as in the forward pass; interleaving is its inverse: each pair (a, b) widened to one 64-bit lane.
    private readonly struct Back512 : IPoolBackVector<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Evens(Vector512<float> lo, Vector512<float> hi) => Pool512.Evens(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Odds(Vector512<float> lo, Vector512<float> hi) => Pool512.Odds(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> InterleaveLower(Vector512<float> a, Vector512<float> b)
            => (Vector512.WidenLower(a.AsUInt32()) | Vector512.ShiftLeft(Vector512.WidenLower(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> InterleaveUpper(Vector512<float> a, Vector512<float> b)
            => (Vector512.WidenUpper(a.AsUInt32()) | Vector512.ShiftLeft(Vector512.WidenUpper(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void TakeIfGreater(ref Vector512<float> best, ref Vector512<float> winner, Vector512<float> value, int tap)
        {
            Vector512<float> take = Vector512.GreaterThan(value, best) | ~Vector512.Equals(value, value);
            best = Vector512.ConditionalSelect(take, value, best);
            winner = Vector512.ConditionalSelect(take, Vector512.Create(tap).AsSingle(), winner);
        }
    }

    private readonly struct Back256 : IPoolBackVector<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Evens(Vector256<float> lo, Vector256<float> hi) => Pool256.Evens(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Odds(Vector256<float> lo, Vector256<float> hi) => Pool256.Odds(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> InterleaveLower(Vector256<float> a, Vector256<float> b)
            => (Vector256.WidenLower(a.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenLower(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> InterleaveUpper(Vector256<float> a, Vector256<float> b)
            => (Vector256.WidenUpper(a.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenUpper(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void TakeIfGreater(ref Vector256<float> best, ref Vector256<float> winner, Vector256<float> value, int tap)
        {
            Vector256<float> take = Vector256.GreaterThan(value, best) | ~Vector256.Equals(value, value);
            best = Vector256.ConditionalSelect(take, value, best);
            winner = Vector256.ConditionalSelect(take, Vector256.Create(tap).AsSingle(), winner);
        }
    }

    private readonly struct Back128 : IPoolBackVector<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Evens(Vector128<float> lo, Vector128<float> hi) => Pool128.Evens(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Odds(Vector128<float> lo, Vector128<float> hi) => Pool128.Odds(lo, hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> InterleaveLower(Vector128<float> a, Vector128<float> b)
            => (Vector128.WidenLower(a.AsUInt32()) | Vector128.ShiftLeft(Vector128.WidenLower(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> InterleaveUpper(Vector128<float> a, Vector128<float> b)
            => (Vector128.WidenUpper(a.AsUInt32()) | Vector128.ShiftLeft(Vector128.WidenUpper(b.AsUInt32()), 32)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void TakeIfGreater(ref Vector128<float> best, ref Vector128<float> winner, Vector128<float> value, int tap)
        {
            Vector128<float> take = Vector128.GreaterThan(value, best) | ~Vector128.Equals(value, value);
            best = Vector128.ConditionalSelect(take, value, best);
            winner = Vector128.ConditionalSelect(take, Vector128.Create(tap).AsSingle(), winner);
        }
    }

    /// <summary>One lane: without SIMD, and for rows narrower than the narrowest vector. lo and hi are inputs 2j and 2j + 1.</summary>
    private readonly struct BackScalar : IPoolBackVector<float>
    {
        public static int Count => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Broadcast(float value) => value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Add(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Divide(float a, float b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Evens(float lo, float hi) => lo;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Odds(float lo, float hi) => hi;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float InterleaveLower(float a, float b) => a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float InterleaveUpper(float a, float b) => b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void TakeIfGreater(ref float best, ref float winner, float value, int tap)
        {
            if (value > best || float.IsNaN(value))
            {
                best = value;
                winner = BitConverter.Int32BitsToSingle(tap);
            }
        }
    }
}
