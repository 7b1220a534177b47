using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Internal;

/// <summary>
/// Staging for the generated weight-gradient kernels. The weight gradient of a convolution is, per (filter, input
/// channel, tap), a dot product over output positions: dW[oc, c, tap] = Σ dY[oc, pos] · Xpad[c, pos·S + tap·D]. The
/// kernels run those dot products as vector loops over one flat position index j, and the two layouts here make every
/// tap's input a contiguous run that starts a fixed distance from j.
/// </summary>
/// <remarks>
/// <para>
/// Positions: the whole batch is numbered j = ((n·planes + od)·rows + oh)·columns + ow, where planes, rows and columns
/// (the "phase lengths") are the output depth, height and width plus the furthest in-phase tap reach,
/// OD + (KD−1)·DD / SD and so on. Positions past the output along an axis are padding that the output gradient
/// holds as zeros. Kernels take the positions a pass at a time (a few thousand), staging both operands for that pass
/// only, so the staged copies are written and read while in cache.
/// </para>
/// <para>
/// Input (<see cref="StageInput"/>): the zero-padded input channel is split by each axis' stride into phases, as
/// <see cref="PlaneStaging"/> splits columns: padded position (d, h, w) goes to phase (d mod SD, h mod SH, w mod SW) at
/// in-phase position (d / SD, h / SH, w / SW), and each phase is laid out like the positions, whole rows of
/// <c>columns</c> floats from the pass's first row on. The input that output position j meets through tap
/// (kd, kh, kw) is then at phase(tap)·phaseStride + j + (kd·DD / SD)·rows·columns + (kh·DH / SH)·columns + kw·DW / SW
/// (j counted from the first staged row): one offset per tap.
/// </para>
/// <para>
/// Output gradient (<see cref="StageOutputGradient"/>): the filters of one group in tiles of the kernel's register tile,
/// each tile's filters interleaved in blocks of 16 positions, position j of filter f of a tile of F at
/// (j / 16)·16·F + 16·f + j mod 16: a vector of up to 16 positions of any filter of the tile is one aligned load at a
/// fixed distance from that of the tile's first filter, and the tile's gradient over a pass is one contiguous run
/// (interleaving the whole group instead would put a tile's blocks a power of two apart for the common filter
/// counts, all in the same few L1 sets).
/// </para>
/// <para>
/// Vector loops run whole vectors past the pass's last position; the lanes past it multiply zeros of the output
/// gradient by input values that must only be finite. So both stagings write every float such lanes read: the
/// input's rows cover the pass plus every tap's reach, and the gradient's blocks are zeroed first.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientStaging
{
    /// <summary>Positions per block of the interleaved output-gradient layout: the lanes of the widest vector.</summary>
    public const int Block = 16;

    /// <summary>
    /// Stages rows <paramref name="firstRow"/> .. + <paramref name="rowCount"/> − 1 of input channel
    /// <paramref name="channel"/> into <paramref name="dst"/>: SD·SH·SW phases of <paramref name="phaseStride"/> floats
    /// (phase (qd, qh, qw) at ((qd·SH + qh)·SW + qw)·phaseStride), each holding those rows of <paramref name="columns"/>
    /// floats. Row r is row r mod rows of plane (r / rows) mod planes of image r / (planes·rows); rows past the last
    /// image, and every position outside the input, are zeros.
    /// </summary>
    public static void StageInput(ReadOnlySpan<float> input, TensorShape s, int channel, Pads pads, int strideD, int strideH, int strideW,
        int planes, int rows, int columns, long firstRow, int rowCount, int phaseStride, Span<float> dst)
    {
        int phases = strideD * strideH * strideW;
        if (channel < 0 || channel >= s.C || input.Length != s.ElementCount || firstRow < 0 || rowCount < 0
            || (long)rowCount * columns > phaseStride || dst.Length < (long)phases * phaseStride)
        {
            throw new ArgumentException(
                $"Staging rows {firstRow}..{firstRow + rowCount - 1} ({columns} floats) of channel {channel} of {s} into {phases} phases of {phaseStride} floats does not fit a destination of {dst.Length}.");
        }

        int depth = s.D, height = s.H, width = s.W;
        int planeSize = height * width, volume = depth * planeSize;
        long imageRows = (long)planes * rows;
        for (int qd = 0; qd < strideD; qd++)
        for (int qh = 0; qh < strideH; qh++)
        for (int qw = 0; qw < strideW; qw++)
        {
            Span<float> phase = dst.Slice(((qd * strideH + qh) * strideW + qw) * phaseStride, rowCount * columns);

            // Columns cc whose input column cc·SW + qw − left lies inside the row: first..last−1.
            int first = Math.Clamp(CeilDiv(pads.Left - qw, strideW), 0, columns);
            int last = Math.Clamp(FloorDiv(width - 1 + pads.Left - qw, strideW) + 1, first, columns);
            int x0 = first * strideW + qw - pads.Left;
            ref float p0 = ref MemoryMarshal.GetReference(phase);
            ref float in0 = ref MemoryMarshal.GetReference(input);

            // Row r is row rr of plane dd of image n; stepped along rather than divided out per row.
            long n = firstRow / imageRows;
            int inImage = (int)(firstRow - n * imageRows);
            int dd = inImage / rows, rr = inImage % rows;
            for (int i = 0; i < rowCount; i++)
            {
                ref float target = ref Unsafe.Add(ref p0, i * columns);
                int d = dd * strideD + qd - pads.Front;
                int h = rr * strideH + qh - pads.Top;
                if (n >= s.N || (uint)d >= (uint)depth || (uint)h >= (uint)height || first >= last)
                {
                    Zero(ref target, columns);
                }
                else
                {
                    ref float line = ref Unsafe.Add(ref in0, (nint)((n * s.C + channel) * volume + d * planeSize + h * width));
                    Zero(ref target, first);
                    Zero(ref Unsafe.Add(ref target, last), columns - last);
                    if (strideW == 1)
                    {
                        Copy(ref Unsafe.Add(ref line, x0), ref Unsafe.Add(ref target, first), last - first);
                    }
                    else
                    {
                        for (int k = first; k < last; k++)
                        {
                            Unsafe.Add(ref target, k) = Unsafe.Add(ref line, x0 + (k - first) * strideW);
                        }
                    }
                }

                if (++rr == rows)
                {
                    rr = 0;
                    if (++dd == planes)
                    {
                        dd = 0;
                        n++;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Stages the output gradient at positions <paramref name="begin"/> .. <paramref name="end"/> − 1 (whose block
    /// alignment the caller keeps: begin is a multiple of <see cref="Block"/>) of channels <paramref name="firstChannel"/>
    /// .. + <paramref name="channels"/> − 1, the filters of one group, into <paramref name="dst"/>: in tiles of
    /// <paramref name="tile"/> filters (the last tile holds the rest), tile t at t·tile·<paramref name="stride"/>, its
    /// filters interleaved in blocks of <see cref="Block"/> positions (see the class remarks). Positions past an output
    /// row, plane or the last image are zeros, up to a whole block past <paramref name="end"/>.
    /// </summary>
    public static void StageOutputGradient(ReadOnlySpan<float> outputGradient, TensorShape o, int firstChannel, int channels, int tile,
        int planes, int rows, int columns, long begin, long end, int stride, Span<float> dst)
    {
        int blocks = (int)((end - begin + Block - 1) / Block);
        if (channels < 1 || tile < 1 || firstChannel < 0 || firstChannel + channels > o.C || outputGradient.Length != o.ElementCount
            || planes < o.D || rows < o.H || columns < o.W || begin < 0 || begin % Block != 0 || end < begin
            || stride % Block != 0 || blocks * Block > stride || dst.Length < (long)channels * stride)
        {
            throw new ArgumentException(
                $"Staging positions {begin}..{end - 1} of channels {firstChannel}..{firstChannel + channels - 1} of {o} ({planes}x{rows}x{columns} per image) in tiles of {stride} floats per filter does not fit a destination of {dst.Length}.");
        }

        int outW = o.W, outPlane = o.H * outW, outVolume = o.D * outPlane;
        long imageRows = (long)planes * rows;
        for (int first = 0; first < channels; first += tile)
        {
            int filters = Math.Min(tile, channels - first);
            int blockStride = Block * filters;
            ref float t0 = ref MemoryMarshal.GetReference(dst.Slice(first * stride, filters * stride));

            // Every position from begin up to a whole block past end is written once: the output's values, zeros elsewhere.
            long stop = begin + (long)blocks * Block;
            long r = begin / columns;
            long n = r / imageRows;
            int inImage = (int)(r - n * imageRows);
            int od = inImage / rows, oh = inImage % rows;
            ref float g0 = ref MemoryMarshal.GetReference(outputGradient);
            for (; r * columns < stop; r++)
            {
                long rowStart = r * columns;
                bool inside = n < o.N && od < o.D && oh < o.H;

                // The row's positions inside [begin, stop): values at columns ow0..ow1-1, zeros at the others.
                int c0 = (int)Math.Max(0, begin - rowStart), c1 = (int)Math.Min(columns, stop - rowStart);
                int ow0 = c0, ow1 = inside ? Math.Max(c0, Math.Min(outW, (int)Math.Min(columns, end - rowStart))) : c0;
                int p = (int)(rowStart + c0 - begin);
                for (int f = 0; f < filters; f++)
                {
                    ref float df = ref Unsafe.Add(ref t0, f * Block);
                    if (ow1 > ow0)
                    {
                        ref float src = ref Unsafe.Add(ref g0, (nint)((n * o.C + firstChannel + first + f) * outVolume + od * outPlane + oh * outW));
                        CopyRow(ref Unsafe.Add(ref src, ow0), ow1 - ow0, ref df, p, blockStride);
                    }

                    ZeroRow(c1 - ow1, ref df, p + (ow1 - ow0), blockStride);
                }

                if (++oh == rows)
                {
                    oh = 0;
                    if (++od == planes)
                    {
                        od = 0;
                        n++;
                    }
                }
            }
        }
    }

    /// <summary>Zeros <paramref name="count"/> positions from <paramref name="p"/> on of a filter laid out as in <see cref="CopyRow"/>.</summary>
    private static void ZeroRow(int count, ref float dst, int p, int stride)
    {
        if (stride == Block)
        {
            Zero(ref Unsafe.Add(ref dst, p), count);
            return;
        }

        int i = 0;
        while (i < count)
        {
            int lane = p & (Block - 1);
            int run = Math.Min(Block - lane, count - i);
            Zero(ref Unsafe.Add(ref dst, (nint)(p >> 4) * stride + lane), run);
            i += run;
            p += run;
        }
    }

    /// <summary>Zeros a few floats: plain stores, as Span.Clear is a call that costs more than a short run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Zero(ref float dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256<float>.Zero.StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref dst, i) = 0;
        }
    }

    /// <summary>Copies a short row with vector moves, the last vector overlapping the one before instead of a tail loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float src, ref float dst, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            int lastVector = count - 8;
            for (int i = 0; i < lastVector; i += 8)
            {
                Vector256.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
            }

            Vector256.LoadUnsafe(ref src, (nuint)lastVector).StoreUnsafe(ref dst, (nuint)lastVector);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> floats to positions <paramref name="p"/>.. of a filter whose blocks of
    /// <see cref="Block"/> positions are <paramref name="stride"/> floats apart: whole blocks as two vector moves,
    /// the partial blocks at the row's ends float by float.
    /// </summary>
    private static void CopyRow(ref float src, int count, ref float dst, int p, int stride)
    {
        if (stride == Block)
        {
            // A tile of one filter: its positions are contiguous.
            Copy(ref src, ref Unsafe.Add(ref dst, p), count);
            return;
        }

        int i = 0;
        while (i < count)
        {
            int lane = p & (Block - 1);
            int run = Math.Min(Block - lane, count - i);
            ref float target = ref Unsafe.Add(ref dst, (nint)(p >> 4) * stride + lane);
            if (run == Block && Vector256.IsHardwareAccelerated)
            {
                Vector256.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref target);
                Vector256.LoadUnsafe(ref src, (nuint)(i + 8)).StoreUnsafe(ref target, 8);
            }
            else
            {
                for (int k = 0; k < run; k++)
                {
                    Unsafe.Add(ref target, k) = Unsafe.Add(ref src, i + k);
                }
            }

            i += run;
            p += run;
        }
    }

    /// <summary>The sum of the lanes: the two halves added first, so one shuffle chain of the narrowest width remains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> v) => Sum(v.GetLower() + v.GetUpper());

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> v) => Sum(v.GetLower() + v.GetUpper());

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> v)
    {
        if (Sse.IsSupported)
        {
            Vector128<float> pairs = v + Sse.MoveHighToLow(v, v);           // [0+2, 1+3, ..]
            return (pairs + Sse.Shuffle(pairs, pairs, 0b01)).ToScalar();    // (0+2) + (1+3)
        }

        return Vector128.Sum(v);
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
