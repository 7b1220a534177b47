using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>
/// Chooses the register tile per vector width from what is known at build time: filters per group, output width and
/// height when static, kernel, stride and dilation. A small cost model scores every tile that fits the register file
/// and keeps the best; the numbers land in the generated header so the choice can be checked.
/// </summary>
internal static class TilePlanner
{
    /// <param name="bits">Vector width.</param>
    /// <param name="g">The layer.</param>
    /// <param name="maxVectors">At most this many vectors per row (0: the planner's own limit).</param>
    public static TileShape Choose(int bits, LayerGeometry g, int maxVectors = 0)
    {
        int lanes = bits / 32;
        bool wide = bits == 512;

        // AVX-512 has 32 vector registers, AVX2/SSE/NEON-on-x64-view 16. Keep one spare for the JIT.
        int registers = wide ? 31 : 15;
        int accumulatorBudget = wide ? 24 : 12;
        int coutG = g.HasStaticChannels ? g.OutChannelsPerGroup : 0;
        int cinG = g.HasStaticChannels ? g.InChannelsPerGroup : 0;
        long outW = g.HasStaticWidth ? g.OutW : 0;
        long outH = g.HasStaticHeight ? g.OutH : 0;
        if (g.IsFlatPointwise)
        {
            outW = g.HasStaticSize ? g.OutH * g.OutW : 0;
            outH = 1;
        }

        TileShape? best = null;
        double bestScore = -1;
        // A 1x1 layer runs as a GEMM over chunks of pixels that must stay in L1 (see the group driver): few vectors
        // per tile keep the chunk small, more filters per tile keep the multiply-adds per load up.
        int maxFilters = coutG == 0 ? 8 : Math.Min(g.IsFlatPointwise && wide ? 12 : 8, coutG);
        maxVectors = maxVectors > 0 ? maxVectors : g.IsFlatPointwise ? 2 : wide ? 6 : 4;
        for (int f = 1; f <= maxFilters; f++)
        {
            for (int v = 1; v <= maxVectors; v++)
            {
                for (int r = 1; r <= 4; r++)
                {
                    int acc = f * r * v;
                    if (acc > accumulatorBudget || (outH > 0 && r > outH))
                    {
                        continue;
                    }

                    bool hoist = cinG == 1 && f == 1 && acc + v + g.Taps <= registers;
                    if (acc + v + (hoist ? g.Taps : 1) > registers)
                    {
                        continue;
                    }

                    double score = Score(g, lanes, coutG, outW, outH, f, r, v, hoist, wide);
                    // Ties go to the smaller tile: less code, and fewer wasted lanes on small images.
                    if (score > bestScore + 1e-9)
                    {
                        bestScore = score;
                        best = new TileShape(bits, f, r, v, hoist, "");
                    }
                }
            }
        }

        TileShape chosen = best!;
        return chosen with { Why = Explain(chosen, g, lanes, coutG, outW, outH, bestScore), Score = bestScore };
    }

    private static double Score(LayerGeometry g, int lanes, int coutG, long outW, long outH, int f, int r, int v, bool hoist, bool wide)
    {
        // Work wasted on filters (remainder tiles run with fewer accumulators), on vectors past the row end (the last
        // block re-computes overlapping pixels) and on rows past the bottom (the last row block overlaps).
        double filters = coutG == 0 ? 1 : coutG / (Math.Ceiling(coutG / (double)f) * f);
        double columns = 1;
        if (outW > 0)
        {
            double vectors = Math.Max(1, Math.Ceiling(outW / (double)lanes));
            columns = (outW / (double)lanes) / (Math.Ceiling(vectors / v) * v);
            columns = Math.Min(1, columns);
        }

        double rows = outH > 0 ? outH / (Math.Ceiling(outH / (double)r) * r) : 1;

        // Throughput: 2 FMA ports x 4 cycles latency want >= 8 independent chains (10-12 to absorb jitter), and 2 load
        // ports must feed them: unaligned row loads count 1.5 (cache-line splits), broadcasts 1.
        var inputRows = new HashSet<long>();
        for (int t = 0; t < r; t++)
        {
            for (int ky = 0; ky < g.KernelH; ky++)
            {
                inputRows.Add((long)t * g.StrideH + (long)ky * g.DilationH);
            }
        }

        double fmas = (double)r * g.Taps * f * v;
        double loads = 1.5 * inputRows.Count * g.KernelW * v + (hoist ? 0 : (double)r * g.Taps * f);
        // Two load ports could in principle feed one load per FMA, but split lines and the stores make ~0.6 the most
        // that sustains full FMA rate (measured by oneDNN/XNNPACK kernels and on this kind of machine).
        double loadBound = Math.Min(1, 0.6 * fmas / loads);
        double chainBound = Math.Min(1, f * r * v / (wide ? 12.0 : 10.0));
        // Among tiles the model cannot tell apart, more accumulators amortize each block's fixed work (bias set-up,
        // column clamps, stores) over more multiply-adds.
        double amortization = 1 + 0.02 * f * r * v / (wide ? 24.0 : 12.0);
        return filters * columns * rows * Math.Min(loadBound, chainBound) * amortization;
    }

    private static string Explain(TileShape t, LayerGeometry g, int lanes, int coutG, long outW, long outH, double score)
    {
        string width = outW > 0
            ? string.Format(CultureInfo.InvariantCulture, "OW = {0} = {1} vector(s) of {2}", outW, Math.Ceiling(outW / (double)lanes), lanes)
            : "any width";
        string filters = coutG > 0 ? string.Format(CultureInfo.InvariantCulture, "{0} filter(s) per group", coutG) : "filters known at run time";
        return string.Format(CultureInfo.InvariantCulture,
            "Vector{0}: {1} filter(s) x {2} row(s) x {3} vector(s) = {4} accumulators{5}; for {6}, {7}{8}; model efficiency {9:0.00}",
            t.Bits, t.Filters, t.Rows, t.Vectors, t.Accumulators, t.HoistWeights ? $", {g.Taps} weights held in registers" : "",
            filters, width, outH > 0 ? string.Format(CultureInfo.InvariantCulture, ", OH = {0}", outH) : "", score);
    }
}
