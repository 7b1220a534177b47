using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>
/// One output phase of a transposed layer: the outputs (FirstH + Sh·a, FirstW + Sw·b), which form a stride-1
/// convolution of the input with the Mh×Mw taps that reach them.
/// </summary>
/// <param name="Rh">Tap residue: this phase uses kernel rows Rh, Rh + Sh, ...</param>
/// <param name="Rw">Tap residue of the columns.</param>
/// <param name="FirstH">First output row of the phase.</param>
/// <param name="FirstW">First output column of the phase.</param>
/// <param name="Qh">Output rows of the phase less the input rows (the same for every input size).</param>
/// <param name="Qw">Output columns of the phase less the input columns.</param>
/// <param name="Mh">Kernel rows of the phase's convolution.</param>
/// <param name="Mw">Kernel columns of the phase's convolution.</param>
/// <param name="Plan">The phase's convolution, planned as any layer.</param>
internal sealed record PhasePlan(int Rh, int Rw, int FirstH, int FirstW, int Qh, int Qw, int Mh, int Mw, KernelPlan Plan)
{
    /// <summary>Tap residue along the depth (3-D layers; 0 otherwise).</summary>
    public int Rd { get; init; }

    /// <summary>First output plane of the phase.</summary>
    public int FirstD { get; init; }

    /// <summary>Output planes of the phase less the input planes.</summary>
    public int Qd { get; init; }

    /// <summary>Kernel depth of the phase's convolution (1 below 3-D).</summary>
    public int Md { get; init; } = 1;
}

/// <summary>One axis of a phase: tap residue, first output, outputs less inputs, taps, and the convolution's pads.</summary>
internal readonly record struct PhaseShape(int R, int First, int Q, int M, int PadBegin, int PadEnd);

/// <summary>
/// Splits a transposed layer into output phases. Output f (counted before the crop of the begin padding) receives
/// input i through tap k exactly when f = i·S + k: the outputs with f ≡ r (mod S) use only the taps k ≡ r, and
/// along them the input index steps by one. So each phase is a plain stride-1 convolution with a dense, flipped
/// sub-kernel of ceil((K − r) / S) taps: no multiply-add by an inserted zero, which is what the zero-insertion
/// formulation spends (S² − 1)/S² of its work on.
/// </summary>
internal static class TransposedPlanner
{
    /// <summary>The phases' geometries, or null with <paramref name="whyNot"/> when the split is not generated.</summary>
    public static List<(PhaseShape Depth, PhaseShape Height, PhaseShape Width, LayerGeometry Geometry)>? Split(LayerGeometry g, out string? whyNot)
    {
        whyNot = null;
        if (g.DilationD != 1 || g.DilationH != 1 || g.DilationW != 1)
        {
            whyNot = "dilated transposed layers run the general phase kernel in this version";
            return null;
        }

        var d = g.Dimensions == 3 ? Axis(g.InD, g.KernelD, g.StrideD, g.PadFront, g.PadBack, g.OutputPadD) : new List<PhaseShape> { new(0, 0, 0, 1, 0, 0) };
        var h = Axis(g.InH, g.KernelH, g.StrideH, g.PadH, g.PadBottom, g.OutputPadH);
        var w = Axis(g.InW, g.KernelW, g.StrideW, g.PadW, g.PadRight, g.OutputPadW);
        if (d is null || h is null || w is null)
        {
            whyNot = "one of its output phases would need its input cropped or has no taps (a kernel smaller than the stride, or padding that crops past a phase's taps), which the phase split does not generate yet";
            return null;
        }

        var phases = new List<(PhaseShape, PhaseShape, PhaseShape, LayerGeometry)>();
        foreach (PhaseShape pd in d)
        {
            foreach (PhaseShape ph in h)
            {
                foreach (PhaseShape pw in w)
                {
                    LayerGeometry phase = new LayerGeometry(g.InChannels, g.OutChannels, ph.M, pw.M, 1, 1, ph.PadBegin, pw.PadBegin, 1, 1, g.Groups, g.HasBias, g.InH, g.InW)
                    {
                        Dimensions = g.Dimensions,
                        KernelD = pd.M,
                        PadFront = pd.PadBegin,
                        PadBack = pd.PadEnd,
                        InD = g.InD,
                        PadBottom = ph.PadEnd,
                        PadRight = pw.PadEnd,
                        Activation = g.Activation,
                        NegativeSlope = g.NegativeSlope,
                    };
                    phases.Add((pd, ph, pw, phase));
                }
            }
        }

        return phases;
    }

    /// <summary>
    /// The phases of one axis, or null when one cannot be a plain convolution with non-negative pads. A phase's output
    /// count is the input size plus a constant (its Q), so the same pads serve every input size; with a static size
    /// that count must be positive, without one a phase left without outputs by a small input is skipped at run time.
    /// </summary>
    private static List<PhaseShape>? Axis(int input, int kernel, int stride, int padBegin, int padEnd, int outputPad)
    {
        var phases = new List<PhaseShape>();
        for (int r = 0; r < stride; r++)
        {
            int m = r < kernel ? (kernel - r + stride - 1) / stride : 0;
            int first = ((r - padBegin) % stride + stride) % stride;

            // Outputs first, first + S, ... up to the output size (in − 1)·S − Pb − Pe + K + op: in + q of them.
            int q = (int)Shared.ConvArithmetic.FloorDiv((long)kernel + outputPad - padBegin - padEnd - 1 - first, stride);
            if (m == 0 || input > 0 && input + q < 1)
            {
                return null;
            }

            // Output first + S·a is q = qFirst + a in the phase's own coordinates, and reads input q − (M − 1) + t.
            int qFirst = (first + padBegin - r) / stride;
            int begin = m - 1 - qFirst;
            int end = q + m - 1 - begin;
            if (begin < 0 || end < 0)
            {
                return null;
            }

            phases.Add(new PhaseShape(r, first, q, m, begin, end));
        }

        return phases;
    }

    public static string Describe(EquatableArray<PhasePlan> phases, LayerGeometry g)
    {
        var sizes = new List<string>();
        foreach (PhasePlan p in phases)
        {
            sizes.Add(g.Dimensions switch
            {
                1 => p.Mw.ToString(CultureInfo.InvariantCulture),
                3 => $"{p.Md}x{p.Mh}x{p.Mw}",
                _ => $"{p.Mh}x{p.Mw}",
            });
        }

        return string.Format(CultureInfo.InvariantCulture,
            "specialized: {0} output phase(s), each a stride-1 convolution with only the taps that reach it ({1}), its outputs written interleaved; no multiply-add by an inserted zero",
            phases.Length, string.Join(", ", sizes));
    }
}
