using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// The register tile of a weight-gradient kernel for one vector width: <see cref="Filters"/> filters x the plane taps
/// of one chunk, one accumulator each, over a vector of output positions. Each step loads one output-gradient vector
/// per filter and one input vector per tap and does Filters x taps multiply-adds.
/// </summary>
/// <param name="Bits">512, 256, 128, or 0 for the scalar path.</param>
/// <param name="Filters">Filters per tile.</param>
/// <param name="Chunks">The plane taps split into consecutive chunks, each chunk's first tap and count.</param>
/// <param name="Positions">Output positions per pass: the tile's staged gradient over them stays in L1 (about 24 KB).</param>
/// <param name="Why">The numbers behind the choice, for a comment in the generated code.</param>
internal sealed record WeightGradientTile(int Bits, int Filters, (int First, int Count)[] Chunks, int Positions, string Why)
{
    public int Lanes => Bits == 0 ? 1 : Bits / 32;

    public int MaxTaps => Chunks.Max(c => c.Count);
}

/// <summary>Chooses <see cref="WeightGradientTile"/>s with a small cost model of one core.</summary>
internal static class WeightGradientTiles
{
    /// <summary>
    /// The tile of one width for <paramref name="planeTaps"/> taps per plane and <paramref name="filtersPerGroup"/>
    /// filters per group (0 when known only at run time).
    /// </summary>
    /// <remarks>
    /// Per vector step a tile of F filters and T taps issues F·T multiply-adds (two per cycle), F aligned loads and T
    /// unaligned ones (which split cache lines, the more often the wider the vector), and every accumulator waits for
    /// its previous multiply-add (about 4 cycles). The accumulators, the F gradient vectors or the T input vectors (the
    /// fewer of the two, which the emitted loop keeps live) and one temporary must fit the vector registers: 32 with
    /// AVX-512, 16 otherwise. Each accumulator is also reduced to one float once per pass of positions. Among tiles of
    /// (nearly) equal cost the one with fewer loads per multiply-add wins, then the one with fewer emitted methods.
    /// </remarks>
    public static WeightGradientTile Choose(int bits, int planeTaps, int filtersPerGroup)
    {
        int registers = bits == 512 ? 32 : 16;
        int budget = bits == 512 ? 24 : 12;
        double split = bits == 512 ? 2.0 : bits == 256 ? 1.5 : bits == 128 ? 1.25 : 1.0;
        int lanes = bits == 0 ? 1 : bits / 32;
        int modelFilters = filtersPerGroup > 0 ? filtersPerGroup : 64;
        int maxFilters = Math.Min(8, filtersPerGroup > 0 ? filtersPerGroup : 4);
        // Shuffles and adds that reduce one accumulator to a float.
        double reduce = bits == 512 ? 5 : bits == 256 ? 4 : bits == 128 ? 3 : 1;

        WeightGradientTile? best = null;
        double bestCost = double.MaxValue, bestLoads = double.MaxValue;
        int bestMethods = int.MaxValue;
        for (int f = 1; f <= maxFilters; f++)
        {
            for (int chunks = 1; chunks <= planeTaps; chunks++)
            {
                int t = (planeTaps + chunks - 1) / chunks;
                if (f * t > budget || f * t + Math.Min(f, t) + 1 > registers)
                {
                    continue;
                }

                (int First, int Count)[] tapChunks = Split(planeTaps, chunks);
                var tiles = new List<int>();
                for (int i = 0; i < modelFilters / f; i++)
                {
                    tiles.Add(f);
                }

                int rest = modelFilters % f;
                if (rest > 0)
                {
                    if (filtersPerGroup > 0)
                    {
                        tiles.Add(rest);
                    }
                    else
                    {
                        tiles.AddRange(Enumerable.Repeat(1, rest));
                    }
                }

                double steps = (double)Positions(f) / lanes;
                double cycles = 0, loads = 0;
                foreach (int fi in tiles)
                {
                    foreach ((int _, int ti) in tapChunks)
                    {
                        double step = Math.Max(Math.Max(fi * ti * 0.5, (fi + split * ti) * 0.5), 4.0) + 0.25;
                        cycles += steps * step + fi * ti * reduce;
                        loads += fi + split * ti;
                    }
                }

                double perFma = cycles / (steps * modelFilters * planeTaps);
                double loadsPerFma = loads / ((double)modelFilters * planeTaps);
                int methods = tapChunks.Length * (rest > 0 || (filtersPerGroup == 0 && f > 1) ? 2 : 1);
                bool better = perFma < bestCost * 0.98
                    || (perFma <= bestCost * 1.02 && (loadsPerFma < bestLoads * 0.95 || (loadsPerFma <= bestLoads * 1.05 && methods < bestMethods)));
                if (better)
                {
                    bestCost = perFma;
                    bestLoads = loadsPerFma;
                    bestMethods = methods;
                    string why = string.Format(CultureInfo.InvariantCulture,
                        "{0} filter(s) x {1} = {2} accumulators, over {3} positions per pass",
                        f, tapChunks.Length == 1 ? $"{t} tap(s)" : $"{tapChunks.Length} chunks of up to {t} taps", f * t, Positions(f));
                    best = new WeightGradientTile(bits, f, tapChunks, Positions(f), why);
                }
            }
        }

        return best!;
    }

    /// <summary>
    /// Output positions per pass for tiles of <paramref name="filters"/>: the tile's gradient over them is about 24 KB
    /// (half of L1), within 512..4096 and a multiple of 256.
    /// </summary>
    public static int Positions(int filters) => Math.Max(512, Math.Min(4096, 6144 / filters / 256 * 256));

    /// <summary><paramref name="taps"/> consecutive taps in <paramref name="chunks"/> chunks whose sizes differ by at most one.</summary>
    private static (int First, int Count)[] Split(int taps, int chunks)
    {
        var result = new (int, int)[chunks];
        int first = 0;
        for (int i = 0; i < chunks; i++)
        {
            int count = taps / chunks + (i < taps % chunks ? 1 : 0);
            result[i] = (first, count);
            first += count;
        }

        return result;
    }
}
