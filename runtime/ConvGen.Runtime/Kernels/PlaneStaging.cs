using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Internal;

/// <summary>
/// Copies an input plane into a zero-bordered, column-phase-split staging plane. Kernels then read every tap of
/// every output pixel without a bounds test: padding becomes stored zeros, and for a horizontal stride S the
/// padded row is split into S phase rows (column c goes to phase c mod S, index c / S), so the inputs of S-strided
/// output pixels are contiguous and load as one vector.
/// </summary>
/// <remarks>
/// Staged layout of one plane: (H + 2·padH) rows of <c>strideW · phaseLength</c> floats, phase p of a row starting at
/// p·phaseLength, where phaseLength = ceil((W + 2·padW) / strideW). The cost is one pass over the input, small
/// next to the Cout·K² multiply-adds that read each staged value.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PlaneStaging
{
    /// <summary>Floats in one staged row for the given padded width and stride.</summary>
    public static int PhaseLength(int width, int padW, int strideW) => (width + 2 * padW + strideW - 1) / strideW;

    /// <summary>
    /// Floats per staged row when rows start on 64-byte boundaries: strideW·phaseLength rounded up to 16. Generated
    /// kernels stage this way, so that their first tap's vector loads do not split cache lines.
    /// </summary>
    public static int AlignedRowStride(int width, int padW, int strideW) => (strideW * PhaseLength(width, padW, strideW) + 15) / 16 * 16;

    /// <summary>Stages one H×W plane into <paramref name="dst"/>, which must hold exactly (H + 2·padH)·strideW·phaseLength floats.</summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padH, int padW, int strideW)
        => Stage(plane, height, width, dst, padH, padW, strideW, strideW * PhaseLength(width, padW, strideW));

    /// <summary>
    /// Stages one H×W plane into rows of <paramref name="rowStride"/> floats (at least strideW·phaseLength); the floats
    /// past the phases are left as they are, as no tap reads them. <paramref name="dst"/> must hold exactly
    /// (H + 2·padH)·rowStride floats.
    /// </summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padH, int padW, int strideW, int rowStride)
    {
        int phaseLength = PhaseLength(width, padW, strideW);
        if (plane.Length != height * width || dst.Length != (height + 2 * padH) * rowStride || rowStride < strideW * phaseLength)
        {
            throw new ArgumentException(
                $"Staging a {height}x{width} plane (padding {padH}x{padW}, stride {strideW}) needs {height * width} source and {(height + 2 * padH) * rowStride} destination floats; got {plane.Length} and {dst.Length}.");
        }

        dst.Slice(0, padH * rowStride).Clear();
        dst.Slice((padH + height) * rowStride).Clear();
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<float> src = plane.Slice(y * width, width);
            Span<float> row = dst.Slice((padH + y) * rowStride, rowStride);
            if (strideW == 1)
            {
                // Borders are a few floats: plain stores, since Span.Clear is a call that costs more than the row.
                ref float r = ref MemoryMarshal.GetReference(row);
                for (int i = 0; i < padW; i++)
                {
                    Unsafe.Add(ref r, i) = 0;
                    Unsafe.Add(ref r, padW + width + i) = 0;
                }

                CopyRow(src, row.Slice(padW, width));
                continue;
            }

            // Phase p holds padded columns p, p + S, p + 2S, ...; input column x = p + j*S - padW. Walking each phase
            // with a step of S keeps divisions out of the per-element loop.
            for (int p = 0; p < strideW; p++)
            {
                Span<float> phase = row.Slice(p * phaseLength, phaseLength);
                int j = 0;
                int x = p - padW;
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
