using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Writes one output phase of a generated transposed layer into the output: phase element (plane, c, a, b) goes to
/// output (plane, firstD + strideD·c, firstH + strideH·a, firstW + strideW·b). Called by generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PhaseScatter
{
    /// <summary>
    /// Writes <paramref name="phase"/> ([planes, depth, rows, columns]) into <paramref name="output"/>
    /// ([planes, outD, outH, outW]); 1-D and 2-D layers pass depth 1 and outD 1.
    /// </summary>
    /// <exception cref="ArgumentException">The phase does not fit the output.</exception>
    public static void Scatter(ReadOnlySpan<float> phase, Span<float> output, int planes, int depth, int rows, int columns,
        int outD, int outH, int outW, int firstD, int firstH, int firstW, int strideD, int strideH, int strideW)
    {
        if (phase.Length != planes * depth * rows * columns || output.Length != planes * outD * outH * outW
            || firstD + (long)strideD * (depth - 1) >= outD || firstH + (long)strideH * (rows - 1) >= outH
            || firstW + (long)strideW * (columns - 1) >= outW)
        {
            throw new ArgumentException(
                $"Phase {planes}x{depth}x{rows}x{columns} from ({firstD}, {firstH}, {firstW}) at stride {strideD}x{strideH}x{strideW} does not fit an output of {planes}x{outD}x{outH}x{outW}.");
        }

        for (int p = 0; p < planes; p++)
        {
            for (int c = 0; c < depth; c++)
            {
                int outPlane = (p * outD + firstD + strideD * c) * outH;
                for (int a = 0; a < rows; a++)
                {
                    ReadOnlySpan<float> src = phase.Slice(((p * depth + c) * rows + a) * columns, columns);
                    Span<float> dst = output.Slice((outPlane + firstH + strideH * a) * outW + firstW);
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
}
