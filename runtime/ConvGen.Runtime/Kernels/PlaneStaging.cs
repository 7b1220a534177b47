using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// Copies an input plane into a bordered, column-phase-split staging plane. Kernels then read every tap of every
/// output pixel without a bounds test: padding becomes stored values (zeros, or the input reflected, replicated or
/// wrapped), and for a horizontal stride S the padded row is split into S phase rows (column c goes to phase c mod S,
/// index c / S), so the inputs of S-strided output pixels are contiguous and load as one vector.
/// </summary>
/// <remarks>
/// Staged layout of one plane: (H + padTop + padBottom) rows of at least <c>strideW · phaseLength</c> floats, phase p
/// of a row starting at p·phaseLength, where phaseLength = ceil((W + padLeft + padRight) / strideW); phase entries
/// past the padded width are zero. The cost is one pass over the input, small next to the Cout·K² multiply-adds that
/// read each staged value.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PlaneStaging
{
    /// <summary>Floats in one phase of a staged row for symmetric padding: ceil((W + 2·padW) / strideW).</summary>
    public static int PhaseLength(int width, int padW, int strideW) => PhaseLength(width, padW, padW, strideW);

    /// <summary>Floats in one phase of a staged row: ceil((W + padLeft + padRight) / strideW).</summary>
    public static int PhaseLength(int width, int padLeft, int padRight, int strideW) => (width + padLeft + padRight + strideW - 1) / strideW;

    /// <summary>
    /// Floats per staged row when rows start on 64-byte boundaries: strideW·phaseLength rounded up to 16. Generated
    /// kernels stage this way, so that their first tap's vector loads do not split cache lines.
    /// </summary>
    public static int AlignedRowStride(int width, int padW, int strideW) => AlignedRowStride(width, padW, padW, strideW);

    /// <summary>As <see cref="AlignedRowStride(int, int, int)"/>, for padding that differs between the left and right.</summary>
    public static int AlignedRowStride(int width, int padLeft, int padRight, int strideW)
        => (strideW * PhaseLength(width, padLeft, padRight, strideW) + 15) / 16 * 16;

    /// <summary>Stages one H×W plane with zero padding into <paramref name="dst"/>, which must hold exactly (H + 2·padH)·strideW·phaseLength floats.</summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padH, int padW, int strideW)
        => Stage(plane, height, width, dst, padH, padW, strideW, strideW * PhaseLength(width, padW, strideW));

    /// <summary>
    /// Stages one H×W plane with zero padding into rows of <paramref name="rowStride"/> floats (at least
    /// strideW·phaseLength); the floats past the phases are left as they are, as no tap reads them.
    /// <paramref name="dst"/> must hold exactly (H + 2·padH)·rowStride floats.
    /// </summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padH, int padW, int strideW, int rowStride)
    {
        // Straight to the zero-padding path: this overload runs once per input plane of every generated kernel call.
        int phaseLength = PhaseLength(width, padW, padW, strideW);
        CheckSizes(plane, height, width, dst, padH, padH, padW, padW, strideW, rowStride, phaseLength);
        StageZeros(plane, height, width, dst, padH, padH, padW, strideW, rowStride, phaseLength);
    }

    /// <summary>
    /// Stages one H×W plane into rows of <paramref name="rowStride"/> floats (at least strideW·phaseLength), padded row
    /// r holding source row r − padTop and padded column c source column c − padLeft, positions outside the input
    /// filled as <paramref name="mode"/> says (see <see cref="SourceIndex"/>). The floats past the phases of rows that
    /// read the input are left as they are, as no tap reads them. <paramref name="dst"/> must hold exactly
    /// (H + padTop + padBottom)·rowStride floats.
    /// </summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padTop, int padBottom, int padLeft, int padRight,
        int strideW, int rowStride, PaddingMode mode)
    {
        int phaseLength = PhaseLength(width, padLeft, padRight, strideW);
        CheckSizes(plane, height, width, dst, padTop, padBottom, padLeft, padRight, strideW, rowStride, phaseLength);

        if (mode != PaddingMode.Zeros && (!PadsFit(height, padTop, padBottom, mode) || !PadsFit(width, padLeft, padRight, mode)))
        {
            throw new ArgumentException(
                $"Padding mode {mode} cannot pad a {height}x{width} plane by top {padTop}, bottom {padBottom}, left {padLeft}, right {padRight}: reflection needs padding smaller than the input, wrapping no larger than it, replication a non-empty input.");
        }

        if (mode == PaddingMode.Zeros)
        {
            StageZeros(plane, height, width, dst, padTop, padBottom, padLeft, strideW, rowStride, phaseLength);
            return;
        }

        for (int r = 0; r < height + padTop + padBottom; r++)
        {
            int y = SourceIndex(r - padTop, height, mode);
            StagePaddedRow(plane.Slice(y * width, width), dst.Slice(r * rowStride, rowStride), padLeft, padRight, strideW, phaseLength, mode);
        }
    }

    /// <summary>
    /// The input index that padded position <paramref name="i"/> (counted from the first input element, so negative
    /// in the leading padding) reads along an axis of <paramref name="n"/> elements, or −1 where it reads zero. As in
    /// PyTorch: Reflect mirrors without repeating the edge (needs padding &lt; n), Replicate repeats the edge, Circular
    /// wraps around (needs padding ≤ n).
    /// </summary>
    public static int SourceIndex(int i, int n, PaddingMode mode)
    {
        if ((uint)i < (uint)n)
        {
            return i;
        }

        return mode switch
        {
            PaddingMode.Zeros => -1,
            PaddingMode.Reflect => i < 0 ? -i : 2 * (n - 1) - i,
            PaddingMode.Replicate => i < 0 ? 0 : n - 1,
            PaddingMode.Circular => (i % n + n) % n,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode."),
        };
    }

    private static void CheckSizes(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padTop, int padBottom, int padLeft, int padRight,
        int strideW, int rowStride, int phaseLength)
    {
        int paddedHeight = height + padTop + padBottom;
        if (plane.Length != height * width || dst.Length != paddedHeight * rowStride || rowStride < strideW * phaseLength)
        {
            throw new ArgumentException(
                $"Staging a {height}x{width} plane (padding top {padTop}, bottom {padBottom}, left {padLeft}, right {padRight}, stride {strideW}) needs {height * width} source and {paddedHeight * rowStride} destination floats; got {plane.Length} and {dst.Length}.");
        }
    }

    // Checked once per plane so that SourceIndex, on the per-row path, can trust its input. Zero padding needs no
    // check: a negative pad fails in Slice.
    private static bool PadsFit(int n, int padBegin, int padEnd, PaddingMode mode)
    {
        if (padBegin < 0 || padEnd < 0)
        {
            return false;
        }

        return mode switch
        {
            PaddingMode.Reflect => padBegin < n && padEnd < n,
            PaddingMode.Replicate => n > 0 || padBegin + padEnd == 0,
            PaddingMode.Circular => padBegin <= n && padEnd <= n,
            _ => false,
        };
    }

    /// <summary>
    /// Zero padding, the common case, on its own path: pad rows are one clear each, and row borders plain stores with no
    /// mode to look at. Right padding needs no count of its own: whatever follows the input in a phase is zero.
    /// </summary>
    private static void StageZeros(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padTop, int padBottom, int padLeft,
        int strideW, int rowStride, int phaseLength)
    {
        dst.Slice(0, padTop * rowStride).Clear();
        dst.Slice((padTop + height) * rowStride, padBottom * rowStride).Clear();
        int padRight = strideW * phaseLength - padLeft - width; // for stride 1 exactly the right padding
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<float> src = plane.Slice(y * width, width);
            Span<float> row = dst.Slice((padTop + y) * rowStride, rowStride);
            if (strideW == 1)
            {
                // Borders are a few floats: plain stores, since Span.Clear is a call that costs more than the row.
                ref float r = ref MemoryMarshal.GetReference(row);
                for (int i = 0; i < padLeft; i++)
                {
                    Unsafe.Add(ref r, i) = 0;
                }

                for (int i = 0; i < padRight; i++)
                {
                    Unsafe.Add(ref r, padLeft + width + i) = 0;
                }

                CopyRow(src, row.Slice(padLeft, width));
                continue;
            }

            // Phase p holds padded columns p, p + S, p + 2S, ...; input column x = p + j*S - padLeft. Walking each phase
            // with a step of S keeps divisions out of the per-element loop.
            for (int p = 0; p < strideW; p++)
            {
                Span<float> phase = row.Slice(p * phaseLength, phaseLength);
                int j = 0;
                int x = p - padLeft;
                for (; j < phaseLength && x < 0; j++, x += strideW)
                {
                    phase[j] = 0;
                }

                if (strideW == 2)
                {
                    j = TakeEvenLanes(src, x, phase, j, out x);
                }

                for (; j < phaseLength && x < width; j++, x += strideW)
                {
                    phase[j] = src[x];
                }

                phase.Slice(j).Clear();
            }
        }
    }

    /// <summary>Stages one source row into the phases of one staged row, the borders read from the row as the mode says.</summary>
    private static void StagePaddedRow(ReadOnlySpan<float> src, Span<float> row, int padLeft, int padRight, int strideW, int phaseLength, PaddingMode mode)
    {
        int width = src.Length;
        if (strideW == 1)
        {
            for (int i = 0; i < padLeft; i++)
            {
                row[i] = src[SourceIndex(i - padLeft, width, mode)];
            }

            for (int i = 0; i < padRight; i++)
            {
                row[padLeft + width + i] = src[SourceIndex(width + i, width, mode)];
            }

            CopyRow(src, row.Slice(padLeft, width));
            return;
        }

        int end = width + padRight;
        for (int p = 0; p < strideW; p++)
        {
            Span<float> phase = row.Slice(p * phaseLength, phaseLength);
            int j = 0;
            int x = p - padLeft;
            for (; j < phaseLength && x < 0; j++, x += strideW)
            {
                phase[j] = src[SourceIndex(x, width, mode)];
            }

            if (strideW == 2)
            {
                j = TakeEvenLanes(src, x, phase, j, out x);
            }

            for (; j < phaseLength && x < width; j++, x += strideW)
            {
                phase[j] = src[x];
            }

            for (; j < phaseLength && x < end; j++, x += strideW)
            {
                phase[j] = src[SourceIndex(x, width, mode)];
            }

            // The slots past the padded width that round the phase up.
            phase.Slice(j).Clear();
        }
    }

    /// <summary>
    /// Copies a short row with vector moves. Span.CopyTo is a call with a size dispatch, which for rows of a few dozen
    /// floats (every row of a 56x56 plane) costs more than the copy; the last vector overlaps instead of a tail loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(ReadOnlySpan<float> src, Span<float> dst)
    {
        int n = src.Length;
        ref float s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int last = n - Vector256<float>.Count;
            for (int i = 0; i < last; i += Vector256<float>.Count)
            {
                Vector256.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
            }

            Vector256.LoadUnsafe(ref s, (nuint)last).StoreUnsafe(ref d, (nuint)last);
            return;
        }

        src.CopyTo(dst);
    }

    /// <summary>
    /// Stride 2: phase[j], phase[j+1], ... = src[x], src[x+2], ..., eight at a time by taking the even lanes of two
    /// consecutive vectors, as far as both loads stay inside the row. Returns the next j and x for the scalar rest.
    /// </summary>
    private static int TakeEvenLanes(ReadOnlySpan<float> src, int x, Span<float> phase, int j, out int nextX)
    {
        if (Vector256.IsHardwareAccelerated && x >= 0)
        {
            ref float s = ref MemoryMarshal.GetReference(src);
            ref float d = ref MemoryMarshal.GetReference(phase);
            Vector256<int> evensFirst = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; x + 2 * Vector256<float>.Count <= src.Length && j + Vector256<float>.Count <= phase.Length; x += 2 * Vector256<float>.Count, j += Vector256<float>.Count)
            {
                Vector256<float> a = Vector256.Shuffle(Vector256.LoadUnsafe(ref s, (nuint)x), evensFirst);
                Vector256<float> b = Vector256.Shuffle(Vector256.LoadUnsafe(ref s, (nuint)(x + Vector256<float>.Count)), evensFirst);
                Vector256.Create(a.GetLower(), b.GetLower()).StoreUnsafe(ref d, (nuint)j);
            }
        }

        nextX = x;
        return j;
    }
}
