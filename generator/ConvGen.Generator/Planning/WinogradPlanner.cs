using System;
using System.Globalization;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>Decides, at build time, whether a layer runs Winograd F(4x4, 3x3) instead of the direct kernel.</summary>
internal static class WinogradPlanner
{
    /// <summary>
    /// Channels below which the direct kernel stays: the transforms cost per channel what the GEMM saves per
    /// channel pair, so with few channels on either side the saving does not cover them. At 16 -> 16 channels on a
    /// 32x32 image Winograd still measured about 25% faster than the direct kernel.
    /// </summary>
    public const int MinChannels = 16;

    /// <summary>
    /// Bytes of transformed input plus GEMM output one block may hold when the transformed weights (U, 36 * Cout * Cin
    /// floats: 2.4 MB at 128 channels) do not fit in L2 beside an L2-sized block. Every block reads all of U, so then
    /// fewer, larger blocks measured faster, even though V and M overflow L2 (they are touched one point, tens of KB,
    /// at a time). When U fits, L2-sized blocks (<see cref="SharedBlockBytes"/>) measured about 4% faster at 64
    /// channels (best of each of five alternating runs). Threads cut the image into more blocks at run time when
    /// there are fewer blocks than threads.
    /// </summary>
    private const int BlockBytes = 4 << 20;

    /// <summary>
    /// The same budget when several threads run: each core's L2 then holds its own V and M and a copy of the weights,
    /// and overflowing into the shared L3 (which every core then competes for) measured slower than more blocks.
    /// </summary>
    private const int SharedBlockBytes = 1 << 20;

    /// <summary>Null when the direct kernel runs, with <paramref name="whyNot"/> saying why (or null if Winograd never applies).</summary>
    public static WinogradPlan? Choose(LayerGeometry g, bool allowed, out string? whyNot)
    {
        whyNot = null;
        if (g.KernelH != 3 || g.KernelW != 3 || g.StrideH != 1 || g.StrideW != 1 || g.DilationH != 1 || g.DilationW != 1)
        {
            return null;
        }

        if (!allowed)
        {
            whyNot = "Winograd F(4x4,3x3) not used: turned off by Winograd = false";
            return null;
        }

        if (g.PaddingMode != LayerPaddingMode.Zeros || g.PadBottom != g.PadH || g.PadRight != g.PadW)
        {
            whyNot = "Winograd F(4x4,3x3) not used: its tile staging pads symmetrically with zeros, and this layer pads otherwise";
            return null;
        }

        if (g.Groups != 1)
        {
            whyNot = "Winograd F(4x4,3x3) not used: grouped layers have too few channels per group to pay for its transforms";
            return null;
        }

        if (!g.HasStaticChannels || !g.HasStaticSize)
        {
            whyNot = "Winograd F(4x4,3x3) not used: it is planned for static channels and input size (set InChannels, OutChannels, InH, InW)";
            return null;
        }

        if (g.InChannels < MinChannels || g.OutChannels < MinChannels)
        {
            whyNot = $"Winograd F(4x4,3x3) not used: {g.InChannels} -> {g.OutChannels} channels, below the {MinChannels} on each side where its transforms pay";
            return null;
        }

        if (g.OutH < 4 || g.OutW < 4)
        {
            whyNot = $"Winograd F(4x4,3x3) not used: the {g.OutH}x{g.OutW} output is smaller than one 4x4 tile";
            return null;
        }

        int tilesY = (int)((g.OutH + 3) / 4), tilesX = (int)((g.OutW + 3) / 4);
        long rowBytes = 36L * 4 * tilesX * (g.InChannels + g.OutChannels);
        long weightBytes = 36L * 4 * g.InChannels * g.OutChannels;
        (int rows, int blocks) = Cut(tilesY, rowBytes, weightBytes <= SharedBlockBytes ? SharedBlockBytes : BlockBytes);
        (int sharedRows, _) = Cut(tilesY, rowBytes, SharedBlockBytes);
        string why = string.Format(CultureInfo.InvariantCulture,
            "Winograd F(4x4,3x3): 3x3 stride 1 with {0} -> {1} channels, so 36 instead of 144 multiplies per 4x4 tile and channel pair; "
            + "the input and output transforms cost O(Cin + Cout) per tile against the O(Cin*Cout) they save",
            g.InChannels, g.OutChannels);
        return new WinogradPlan(tilesY, tilesX, rows, blocks, sharedRows, why);
    }

    /// <summary>Tile rows per block (and blocks) so that a block's V and M take at most <paramref name="bytes"/>.</summary>
    private static (int Rows, int Blocks) Cut(int tilesY, long rowBytes, long bytes)
    {
        int blocks = (int)Math.Min(tilesY, Math.Max(1, (tilesY * rowBytes + bytes - 1) / bytes));
        int rows = (tilesY + blocks - 1) / blocks;
        return (rows, (tilesY + rows - 1) / rows);
    }

    /// <summary>
    /// The GEMM register tile per vector width: filters x up to this many vectors of tiles. Vector512 has 32 registers:
    /// 24 accumulators, the tile's input vectors and one broadcast weight; narrower widths have 16 and keep 12. The
    /// vectors never exceed what a block holds, so small blocks trade vectors for filters instead of running a
    /// narrower tile.
    /// </summary>
    public static (int Filters, int Vectors) GemmTile(int bits, WinogradPlan plan)
    {
        int lanes = bits / 32, blockVectors = (plan.BlockTiles + lanes - 1) / lanes;
        if (bits == 512)
        {
            int v = Math.Min(4, blockVectors);
            return (24 / v, v);
        }

        return blockVectors >= 3 ? (4, 3) : blockVectors == 2 ? (6, 2) : (12, 1);
    }
}
