using System;
using System.ComponentModel;

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

    /// <summary>Stages one H×W plane into <paramref name="dst"/>, which must hold exactly (H + 2·padH)·strideW·phaseLength floats.</summary>
    public static void Stage(ReadOnlySpan<float> plane, int height, int width, Span<float> dst, int padH, int padW, int strideW)
    {
        int phaseLength = PhaseLength(width, padW, strideW);
        int rowStride = strideW * phaseLength;
        if (plane.Length != height * width || dst.Length != (height + 2 * padH) * rowStride)
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
                row.Slice(0, padW).Clear();
                src.CopyTo(row.Slice(padW));
                row.Slice(padW + width).Clear();
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

                for (; j < phaseLength && x < width; j++, x += strideW)
                {
                    phase[j] = src[x];
                }

                phase.Slice(j).Clear();
            }
        }
    }
}
