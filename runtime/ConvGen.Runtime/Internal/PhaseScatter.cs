using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Writes one output phase of a generated transposed layer into the output: phase element (plane, a, b) goes to
/// output (plane, firstH + strideH·a, firstW + strideW·b). Called by generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PhaseScatter
{
    /// <summary>Writes <paramref name="phase"/> ([planes, rows, columns]) into <paramref name="output"/> ([planes, outH, outW]).</summary>
    /// <exception cref="ArgumentException">The phase does not fit the output.</exception>
    public static void Scatter(ReadOnlySpan<float> phase, Span<float> output, int planes, int rows, int columns,
        int outH, int outW, int firstH, int firstW, int strideH, int strideW)
    {
        if (phase.Length != planes * rows * columns || output.Length != planes * outH * outW
            || firstH + (long)strideH * (rows - 1) >= outH || firstW + (long)strideW * (columns - 1) >= outW)
        {
            throw new ArgumentException($"Phase {planes}x{rows}x{columns} from ({firstH}, {firstW}) at stride {strideH}x{strideW} does not fit an output of {planes}x{outH}x{outW}.");
        }

        for (int p = 0; p < planes; p++)
        {
            for (int a = 0; a < rows; a++)
            {
                ReadOnlySpan<float> src = phase.Slice((p * rows + a) * columns, columns);
                Span<float> dst = output.Slice((p * outH + firstH + strideH * a) * outW + firstW);
                if (strideW == 1)
                {
                    src.CopyTo(dst);
                    continue;
                }

                for (int b = 0; b < columns; b++)
                {
                    dst[strideW * b] = src[b];
                }
            }
        }
    }
}
