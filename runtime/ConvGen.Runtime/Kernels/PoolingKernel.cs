using System;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// Max and average pooling over every spatial axis the input has (W for NCL, H and W for NCHW, D, H and W for NCDHW)
/// with one window K, stride S and padding P on each, as PyTorch's <c>nn.MaxPool*d</c> / <c>nn.AvgPool*d</c> with
/// <c>ceil_mode=False</c>. Generated pooling layers and networks call it; not meant to be called by user code.
/// </summary>
/// <remarks>
/// <para>
/// Semantics are PyTorch's: max pooling never picks a padded position (PyTorch pads with −∞) and propagates NaN (any
/// NaN in a window gives NaN); average pooling divides the window's sum by, per axis, min(start + K, n + P) − start
/// with <c>count_include_pad</c> (padded zeros count) or by the number of real inputs in the window without.
/// </para>
/// <para>
/// Each output row is split into the windows that reach into the padding (computed one by one, with clipping) and the
/// interior. Interior rows are vectorized at the widest width the row fills: stride 1 loads K shifted vectors per
/// input row; stride 2 (which covers the common K = 2, S = 2) loads pairs of vectors and splits them into even and
/// odd lanes; larger strides reduce the window's rows into a small column buffer with vectors and finish each window
/// along W in scalar code. Max pooling checks each plane for NaN first (one pass, which also brings the plane into
/// cache): a plane without takes the hardware maximum, one with takes a four-operation maximum that keeps NaN. No call
/// allocates.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class PoolingKernel
{
    /// <summary>Floats of the stack buffer the stride ≥ 3 path reduces rows into.</summary>
    private const int ColumnFloats = 512;

    /// <summary>
    /// The output shape of K-wide pooling with stride <paramref name="s"/> and padding <paramref name="p"/> on every
    /// spatial axis of <paramref name="input"/>: floor((n + 2P − K) / S) + 1 per axis, the other axes unchanged.
    /// </summary>
    /// <param name="max">Max pooling (true) or average pooling (false); only the error messages differ.</param>
    /// <param name="input">The input shape (NCL, NCHW or NCDHW).</param>
    /// <param name="k">Window size on every spatial axis.</param>
    /// <param name="s">Stride on every spatial axis, already resolved (positive).</param>
    /// <param name="p">Padding on both ends of every spatial axis, at most K / 2.</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// K, S or P is out of range, the shape has a non-positive size, or the padded input is smaller than the window on
    /// some axis; the message names the layer, what was expected and what was given.
    /// </exception>
    public static TensorShape OutputShape(bool max, TensorShape input, int k, int s, int p, string layer)
    {
        string kind = max ? "max" : "average";
        if (k < 1 || s < 1 || p < 0 || p > k / 2)
        {
            throw Fail(layer, "does {0} pooling with window K = {1}, stride S = {2} and padding P = {3}, but pooling needs K >= 1, S >= 1 and 0 <= P <= K / 2 = {4}.",
                kind, k, s, p, Math.Max(k, 0) / 2);
        }

        if (input.Dimensions is < 1 or > 3)
        {
            throw Fail(layer, "input shape {0} has Dimensions = {1}, but {2} pooling takes NCL (1), NCHW (2) or NCDHW (3) data.",
                input, input.Dimensions, kind);
        }

        NetworkGuard.CheckShape(input, layer);
        int d = input.Dimensions == 3 ? Axis(layer, kind, "depth", input.D, k, s, p, input) : input.D;
        int h = input.Dimensions >= 2 ? Axis(layer, kind, "height", input.H, k, s, p, input) : input.H;
        int w = Axis(layer, kind, input.Dimensions == 1 ? "length" : "width", input.W, k, s, p, input);
        return input with { D = d, H = h, W = w };
    }

    /// <summary>
    /// Pools <paramref name="input"/> of shape <paramref name="inputShape"/> into <paramref name="output"/> (of the shape
    /// <see cref="OutputShape"/> gives).
    /// </summary>
    /// <param name="max">Max pooling (true) or average pooling (false).</param>
    /// <param name="input">The input batch; must not overlap <paramref name="output"/>.</param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="output">Exactly as many floats as the output shape holds.</param>
    /// <param name="k">Window size on every spatial axis.</param>
    /// <param name="s">Stride on every spatial axis, already resolved (positive).</param>
    /// <param name="p">Padding on both ends of every spatial axis, at most K / 2.</param>
    /// <param name="countIncludePad">Average pooling only: whether padded zeros count in the divisor (PyTorch's <c>count_include_pad</c>).</param>
    /// <param name="layer">The layer's name, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// The shape does not fit the window, a span's length is not exactly its shape's element count, or the spans overlap.
    /// </exception>
    [SkipLocalsInit]
    public static void Forward(bool max, ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, int k, int s, int p,
        bool countIncludePad, string layer)
    {
        TensorShape outputShape = OutputShape(max, inputShape, k, s, p, layer);
        NetworkGuard.CheckLengths(layer, input.Length, inputShape, output.Length, outputShape);
        if (input.Overlaps(output))
        {
            throw Fail(layer, "input and output spans overlap; pooling cannot run in place.");
        }

        var g = new Grid(inputShape, outputShape, k, s, p, countIncludePad);
        Span<float> column = g.Path == RowPath.Column ? stackalloc float[ColumnFloats] : default;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        if (max)
        {
            Dispatch<MaxMode>(ref x, ref y, g, column);
        }
        else
        {
            Dispatch<AvgMode>(ref x, ref y, g, column);
        }
    }

    private static int Axis(string layer, string kind, string axis, int size, int k, int s, int p, TensorShape input)
    {
        long padded = size + 2L * p;
        if (padded < k)
        {
            throw Fail(layer, "input {0} {1} is too small for {2} pooling: the padded {0} {1} + 2*{3} = {4} is smaller than the window K = {5} (input shape {6}).",
                axis, size, kind, p, padded, k, input);
        }

        return (int)((padded - k) / s + 1);
    }

    private static void Dispatch<TMode>(ref float x, ref float y, in Grid g, Span<float> column)
        where TMode : struct, IPoolMode
    {
        // The width is chosen once per call from how many values a vectorized row step covers.
        int span = g.Path switch
        {
            RowPath.Stride1 or RowPath.Stride2 => g.VectorEnd - g.First,
            RowPath.Column => g.W.In,
            _ => 0,
        };

        if (Vector512.IsHardwareAccelerated && span >= Vector512<float>.Count)
        {
            Run<Pool512, Vector512<float>, TMode>(ref x, ref y, g, column);
        }
        else if (Vector256.IsHardwareAccelerated && span >= Vector256<float>.Count)
        {
            Run<Pool256, Vector256<float>, TMode>(ref x, ref y, g, column);
        }
        else if (Vector128.IsHardwareAccelerated && span >= Vector128<float>.Count)
        {
            Run<Pool128, Vector128<float>, TMode>(ref x, ref y, g, column);
        }
        else
        {
            Run<PoolScalar, float, TMode>(ref x, ref y, g, column);
        }
    }

    private static void Run<TOps, TVec, TMode>(ref float input, ref float output, in Grid g, Span<float> column)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        nint inPlane = (nint)g.D.In * g.H.In * g.W.In, outPlane = (nint)g.D.Out * g.H.Out * g.W.Out;
        for (int plane = 0; plane < g.Planes; plane++)
        {
            ref float x = ref Unsafe.Add(ref input, plane * inPlane);
            ref float y = ref Unsafe.Add(ref output, plane * outPlane);

            // A maximum that carries NaN costs four operations per value, a plain one costs one; a plane without NaN
            // (found in one pass, which also brings it into cache) takes the plain one.
            if (TMode.IsMax && !ContainsNaN(ref x, inPlane))
            {
                Plane<TOps, TVec, PlainMaxMode>(ref x, ref y, g, column);
            }
            else
            {
                Plane<TOps, TVec, TMode>(ref x, ref y, g, column);
            }
        }
    }

    private static void Plane<TOps, TVec, TMode>(ref float x, ref float y, in Grid g, Span<float> column)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        for (int od = 0; od < g.D.Out; od++)
        {
            (int d0, int d1, int dCount) = g.D.Window(od, g.CountIncludePad);
            for (int oh = 0; oh < g.H.Out; oh++)
            {
                (int h0, int h1, int hCount) = g.H.Window(oh, g.CountIncludePad);
                var rows = new Rows(d0, d1, h0, h1, g.H.In, g.W.In, dCount * hCount);
                Row<TOps, TVec, TMode>(ref x, rows, ref Unsafe.Add(ref y, ((nint)od * g.H.Out + oh) * g.W.Out), g, column);
            }
        }
    }

    private static bool ContainsNaN(ref float x, nint length)
    {
        nint i = 0;
        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            // Lanes stay all ones while every value equals itself, which NaN does not.
            Vector256<float> ordered = Vector256<float>.AllBitsSet;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)i);
                ordered &= Vector256.Equals(v, v);
            }

            if (ordered.AsUInt32() != Vector256<uint>.AllBitsSet)
            {
                return true;
            }
        }

        if (Vector128.IsHardwareAccelerated && length - i >= Vector128<float>.Count)
        {
            Vector128<float> ordered = Vector128<float>.AllBitsSet;
            for (; i <= length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref x, (nuint)i);
                ordered &= Vector128.Equals(v, v);
            }

            if (ordered.AsUInt32() != Vector128<uint>.AllBitsSet)
            {
                return true;
            }
        }

        for (; i < length; i++)
        {
            if (float.IsNaN(Unsafe.Add(ref x, i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One output row: the vectorized interior where the path allows it, every other window one at a time.</summary>
    private static void Row<TOps, TVec, TMode>(ref float x, in Rows rows, ref float y, in Grid g, Span<float> column)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        for (int ow = 0; ow < g.First; ow++)
        {
            Unsafe.Add(ref y, ow) = Window<TMode>(ref x, rows, ow, g);
        }

        int done = g.Path switch
        {
            RowPath.Stride1 => Stride1<TOps, TVec, TMode>(ref x, rows, ref y, g),
            RowPath.Stride2 => Stride2<TOps, TVec, TMode>(ref x, rows, ref y, g),
            RowPath.Column => Columns<TOps, TVec, TMode>(ref x, rows, ref y, g, column),
            _ => g.First,
        };

        for (int ow = done; ow < g.W.Out; ow++)
        {
            Unsafe.Add(ref y, ow) = Window<TMode>(ref x, rows, ow, g);
        }
    }

    /// <summary>Stride 1: output ow of a vector reads inputs ow − P + kw, so K shifted loads per input row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Stride1<TOps, TVec, TMode>(ref float x, in Rows rows, ref float y, in Grid g)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count, first = g.First, end = g.VectorEnd, k = g.K;
        if (end - first < count)
        {
            return first;
        }

        TVec identity = TOps.Broadcast(TMode.Identity);
        TVec divisor = TOps.Broadcast((float)rows.Count * k);
        for (int o = first; o < end; o += count)
        {
            // The last vector is moved back to end at the interior's end: it recomputes a few outputs, reads stay inside.
            int oc = Math.Min(o, end - count);
            nint w0 = oc - g.P;
            TVec acc = identity;
            for (int d = rows.D0; d < rows.D1; d++)
            {
                for (int h = rows.H0; h < rows.H1; h++)
                {
                    ref float r = ref Unsafe.Add(ref x, rows.Offset(d, h) + w0);
                    for (int kw = 0; kw < k; kw++)
                    {
                        acc = Combine<TOps, TVec, TMode>(acc, TOps.Load(ref r, (nuint)kw));
                    }
                }
            }

            TOps.Store(TMode.IsMax ? acc : TOps.Divide(acc, divisor), ref y, (nuint)oc);
        }

        return end;
    }

    /// <summary>
    /// Stride 2: the 2·Count inputs from 2·ow − P + 2m, reduced over the window's rows, split into even lanes (tap 2m of
    /// each output) and odd lanes (tap 2m + 1), for m up to K / 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Stride2<TOps, TVec, TMode>(ref float x, in Rows rows, ref float y, in Grid g)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count, first = g.First, end = g.VectorEnd, k = g.K;
        if (end - first < count)
        {
            return first;
        }

        TVec identity = TOps.Broadcast(TMode.Identity);
        TVec divisor = TOps.Broadcast((float)rows.Count * k);
        for (int o = first; o < end; o += count)
        {
            int oc = Math.Min(o, end - count);
            nint w0 = 2 * (nint)oc - g.P;
            TVec acc = identity;
            for (int m = 0; 2 * m < k; m++)
            {
                TVec lo = identity, hi = identity;
                for (int d = rows.D0; d < rows.D1; d++)
                {
                    for (int h = rows.H0; h < rows.H1; h++)
                    {
                        ref float r = ref Unsafe.Add(ref x, rows.Offset(d, h) + w0 + 2 * m);
                        lo = Combine<TOps, TVec, TMode>(lo, TOps.Load(ref r, 0));
                        hi = Combine<TOps, TVec, TMode>(hi, TOps.Load(ref r, (nuint)count));
                    }
                }

                acc = Combine<TOps, TVec, TMode>(acc, TOps.Evens(lo, hi));
                if (2 * m + 1 < k)
                {
                    acc = Combine<TOps, TVec, TMode>(acc, TOps.Odds(lo, hi));
                }
            }

            TOps.Store(TMode.IsMax ? acc : TOps.Divide(acc, divisor), ref y, (nuint)oc);
        }

        return end;
    }

    /// <summary>
    /// Larger strides: the window's rows are reduced into <paramref name="column"/> with vectors (skipped when the
    /// window has one row), then each output reduces its K values of the column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Columns<TOps, TVec, TMode>(ref float x, in Rows rows, ref float y, in Grid g, Span<float> column)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count, first = g.First, end = g.VectorEnd, k = g.K, s = g.S;
        int chunk = (ColumnFloats - k) / s + 1;
        float divisor = (float)rows.Count * k;
        bool oneRow = rows.D1 - rows.D0 == 1 && rows.H1 - rows.H0 == 1;
        ref float c = ref MemoryMarshal.GetReference(column);
        for (int o0 = first; o0 < end; o0 += chunk)
        {
            int o1 = Math.Min(o0 + chunk, end);
            nint w0 = (nint)o0 * s - g.P;
            int length = (o1 - 1 - o0) * s + k;
            if (!oneRow)
            {
                ReduceRows<TOps, TVec, TMode>(ref x, rows, w0, length, ref c);
            }

            ref float source = ref oneRow ? ref Unsafe.Add(ref x, rows.Offset(rows.D0, rows.H0) + w0) : ref c;

            for (int o = o0; o < o1; o++)
            {
                ref float window = ref Unsafe.Add(ref source, (nint)(o - o0) * s);
                float acc = window;
                for (int kw = 1; kw < k; kw++)
                {
                    acc = Combine<TMode>(acc, Unsafe.Add(ref window, kw));
                }

                Unsafe.Add(ref y, o) = TMode.IsMax ? acc : acc / divisor;
            }
        }

        return end;
    }

    /// <summary>column[j] = the window rows' reduction of input position w0 + j, for j below <paramref name="length"/>.</summary>
    private static void ReduceRows<TOps, TVec, TMode>(ref float x, in Rows rows, nint w0, int length, ref float column)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
    {
        int count = TOps.Count;
        if (length >= count)
        {
            TVec identity = TOps.Broadcast(TMode.Identity);
            for (int j = 0; j < length; j += count)
            {
                int jc = Math.Min(j, length - count);
                TVec acc = identity;
                for (int d = rows.D0; d < rows.D1; d++)
                {
                    for (int h = rows.H0; h < rows.H1; h++)
                    {
                        acc = Combine<TOps, TVec, TMode>(acc, TOps.Load(ref Unsafe.Add(ref x, rows.Offset(d, h) + w0), (nuint)jc));
                    }
                }

                TOps.Store(acc, ref column, (nuint)jc);
            }

            return;
        }

        for (int j = 0; j < length; j++)
        {
            float acc = TMode.Identity;
            for (int d = rows.D0; d < rows.D1; d++)
            {
                for (int h = rows.H0; h < rows.H1; h++)
                {
                    acc = Combine<TMode>(acc, Unsafe.Add(ref x, rows.Offset(d, h) + w0 + j));
                }
            }

            Unsafe.Add(ref column, j) = acc;
        }
    }

    /// <summary>One output of a row, any window: clipped to the input, with PyTorch's divisor.</summary>
    private static float Window<TMode>(ref float x, in Rows rows, int ow, in Grid g)
        where TMode : struct, IPoolMode
    {
        (int w0, int w1, int wCount) = g.W.Window(ow, g.CountIncludePad);
        float acc = TMode.Identity;
        for (int d = rows.D0; d < rows.D1; d++)
        {
            for (int h = rows.H0; h < rows.H1; h++)
            {
                ref float r = ref Unsafe.Add(ref x, rows.Offset(d, h));
                for (int w = w0; w < w1; w++)
                {
                    acc = Combine<TMode>(acc, Unsafe.Add(ref r, w));
                }
            }
        }

        return TMode.IsMax ? acc : acc / ((float)rows.Count * wCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Combine<TOps, TVec, TMode>(TVec acc, TVec value)
        where TOps : struct, IPoolVector<TVec>
        where TVec : struct
        where TMode : struct, IPoolMode
        => !TMode.IsMax ? TOps.Add(acc, value) : TMode.CarriesNaN ? TOps.Max(acc, value) : TOps.PlainMax(acc, value);

    // PyTorch's rule: the value replaces the maximum when greater or NaN, so a NaN, once taken, stays. On one vector
    // lane where there is SIMD: a branch on random data would be mispredicted half the time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Combine<TMode>(float acc, float value)
        where TMode : struct, IPoolMode
    {
        if (!TMode.IsMax)
        {
            return acc + value;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> a = Vector128.CreateScalarUnsafe(acc), v = Vector128.CreateScalarUnsafe(value);
            return (TMode.CarriesNaN ? Pool128.Max(a, v) : Pool128.PlainMax(a, v)).ToScalar();
        }

        return value > acc || (TMode.CarriesNaN && float.IsNaN(value)) ? value : acc;
    }

    private static ArgumentException Fail(string layer, string format, params object[] args)
        => new("Layer '" + layer + "' " + string.Format(CultureInfo.InvariantCulture, format, args));

    private enum RowPath
    {
        Scalar,
        Stride1,
        Stride2,
        Column,
    }

    /// <summary>
    /// One axis: input and output sizes, window, stride and padding. An axis the input does not have is pooled with
    /// K = 1, S = 1, P = 0, which passes it through.
    /// </summary>
    private readonly record struct PoolAxis(int In, int Out, int K, int S, int P)
    {
        /// <summary>The window of output <paramref name="o"/> clipped to the input, and its divisor on this axis.</summary>
        public (int Begin, int End, int Count) Window(int o, bool countIncludePad)
        {
            int begin = o * S - P, end = begin + K;
            int clippedBegin = Math.Max(begin, 0), clippedEnd = Math.Min(end, In);
            int count = countIncludePad ? Math.Min(end, In + P) - begin : clippedEnd - clippedBegin;
            return (clippedBegin, clippedEnd, count);
        }
    }

    /// <summary>The input rows (d, h) of one output row's window, and that window's divisor over D and H.</summary>
    private readonly record struct Rows(int D0, int D1, int H0, int H1, int InH, int InW, int Count)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public nint Offset(int d, int h) => ((nint)d * InH + h) * InW;
    }

    private readonly struct Grid
    {
        public Grid(TensorShape input, TensorShape output, int k, int s, int p, bool countIncludePad)
        {
            int dims = input.Dimensions;
            D = dims == 3 ? new PoolAxis(input.D, output.D, k, s, p) : new PoolAxis(input.D, output.D, 1, 1, 0);
            H = dims >= 2 ? new PoolAxis(input.H, output.H, k, s, p) : new PoolAxis(input.H, output.H, 1, 1, 0);
            W = new PoolAxis(input.W, output.W, k, s, p);
            K = k;
            S = s;
            P = p;
            CountIncludePad = countIncludePad;
            Planes = input.N * input.C;

            // Interior outputs along W: every window input inside [0, W). The stride-2 path reads its last pair of
            // vectors up to an even window width, so its interior ends where that still fits.
            First = Math.Min((p + s - 1) / s, W.Out);
            if (s == 1)
            {
                Path = RowPath.Stride1;
            }
            else if (s == 2 && BitConverter.IsLittleEndian)
            {
                Path = RowPath.Stride2;
            }
            else if (k <= ColumnFloats)
            {
                Path = RowPath.Column;
            }
            else
            {
                Path = RowPath.Scalar;
            }

            int reach = Path == RowPath.Stride2 ? k + (k & 1) : k;
            long last = (long)W.In + p - reach;
            VectorEnd = last < 0 ? First : (int)Math.Clamp(last / s + 1, First, W.Out);
        }

        public PoolAxis D { get; }

        public PoolAxis H { get; }

        public PoolAxis W { get; }

        public int K { get; }

        public int S { get; }

        public int P { get; }

        public bool CountIncludePad { get; }

        public int Planes { get; }

        public RowPath Path { get; }

        /// <summary>First output along W whose window starts inside the input.</summary>
        public int First { get; }

        /// <summary>End of the outputs along W the row's path computes without clipping.</summary>
        public int VectorEnd { get; }
    }

    private interface IPoolMode
    {
        static abstract bool IsMax { get; }

        /// <summary>Whether a NaN must survive the maximum (false only for planes known to hold none).</summary>
        static abstract bool CarriesNaN { get; }

        /// <summary>The value a window's reduction starts from: −∞ for max, 0 for the sum.</summary>
        static abstract float Identity { get; }
    }

    private readonly struct MaxMode : IPoolMode
    {
        public static bool IsMax => true;

        public static bool CarriesNaN => true;

        public static float Identity => float.NegativeInfinity;
    }

    /// <summary>Max pooling of a plane without NaN: the hardware maximum, whatever it does with NaN.</summary>
    private readonly struct PlainMaxMode : IPoolMode
    {
        public static bool IsMax => true;

        public static bool CarriesNaN => false;

        public static float Identity => float.NegativeInfinity;
    }

    private readonly struct AvgMode : IPoolMode
    {
        public static bool IsMax => false;

        public static bool CarriesNaN => false;

        public static float Identity => 0f;
    }

    /// <summary>The vector operations pooling needs, one struct per width so each gets its own compiled copy.</summary>
    private interface IPoolVector<TVec>
        where TVec : struct
    {
        static abstract int Count { get; }

        static abstract TVec Load(ref float source, nuint offset);

        static abstract void Store(TVec value, ref float destination, nuint offset);

        static abstract TVec Broadcast(float value);

        /// <summary>Per lane: b when b &gt; a or b is NaN, else a (PyTorch's max pooling rule).</summary>
        static abstract TVec Max(TVec a, TVec b);

        /// <summary>The hardware maximum: for inputs without NaN, the larger.</summary>
        static abstract TVec PlainMax(TVec a, TVec b);

        static abstract TVec Add(TVec a, TVec b);

        static abstract TVec Divide(TVec a, TVec b);

        /// <summary>Lanes 0, 2, 4, … of the 2·Count values lo then hi.</summary>
        static abstract TVec Evens(TVec lo, TVec hi);

        /// <summary>Lanes 1, 3, 5, … of the 2·Count values lo then hi.</summary>
        static abstract TVec Odds(TVec lo, TVec hi);
    }

    // Evens and odds: each pair of floats as one 64-bit lane, narrowed to its low (even, on little-endian) or high half.
    private readonly struct Pool512 : IPoolVector<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Max(Vector512<float> a, Vector512<float> b)
            => Vector512.ConditionalSelect(Vector512.GreaterThan(b, a) | ~Vector512.Equals(b, b), b, a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Vector512<float> PlainMax(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
#else
        public static Vector512<float> PlainMax(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Evens(Vector512<float> lo, Vector512<float> hi)
            => Vector512.Narrow(lo.AsUInt64(), hi.AsUInt64()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Odds(Vector512<float> lo, Vector512<float> hi)
            => Vector512.Narrow(Vector512.ShiftRightLogical(lo.AsUInt64(), 32), Vector512.ShiftRightLogical(hi.AsUInt64(), 32)).AsSingle();
    }

    private readonly struct Pool256 : IPoolVector<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Max(Vector256<float> a, Vector256<float> b)
            => Vector256.ConditionalSelect(Vector256.GreaterThan(b, a) | ~Vector256.Equals(b, b), b, a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Vector256<float> PlainMax(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
#else
        public static Vector256<float> PlainMax(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Evens(Vector256<float> lo, Vector256<float> hi)
            => Vector256.Narrow(lo.AsUInt64(), hi.AsUInt64()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Odds(Vector256<float> lo, Vector256<float> hi)
            => Vector256.Narrow(Vector256.ShiftRightLogical(lo.AsUInt64(), 32), Vector256.ShiftRightLogical(hi.AsUInt64(), 32)).AsSingle();
    }

    private readonly struct Pool128 : IPoolVector<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Max(Vector128<float> a, Vector128<float> b)
            => Vector128.ConditionalSelect(Vector128.GreaterThan(b, a) | ~Vector128.Equals(b, b), b, a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
#if NET9_0_OR_GREATER
        public static Vector128<float> PlainMax(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
#else
        public static Vector128<float> PlainMax(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
#endif

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Evens(Vector128<float> lo, Vector128<float> hi)
            => Vector128.Narrow(lo.AsUInt64(), hi.AsUInt64()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Odds(Vector128<float> lo, Vector128<float> hi)
            => Vector128.Narrow(Vector128.ShiftRightLogical(lo.AsUInt64(), 32), Vector128.ShiftRightLogical(hi.AsUInt64(), 32)).AsSingle();
    }

    /// <summary>One lane: without SIMD, and for rows narrower than the narrowest vector. lo and hi are inputs 2j and 2j + 1.</summary>
    private readonly struct PoolScalar : IPoolVector<float>
    {
        public static int Count => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Broadcast(float value) => value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Max(float a, float b) => Combine<MaxMode>(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float PlainMax(float a, float b) => Combine<PlainMaxMode>(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Add(float a, float b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Divide(float a, float b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Evens(float lo, float hi) => lo;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Odds(float lo, float hi) => hi;
    }
}
