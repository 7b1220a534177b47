// This file is compiled into both the runtime and the source generator (linked): the generator bakes these sizes into
// each Winograd kernel's constants and load offsets, and the runtime stages and checks buffers with the same ones.
#if CONVGEN_GENERATOR
namespace ConvGen.Generator.Shared;
#else
namespace ConvGen.Internal;
#endif

/// <summary>Buffer layout of Winograd F(4x4,3x3) kernels, in floats.</summary>
internal static class WinogradLayout
{
    /// <summary>Lanes every row is padded to, so any vector width up to Vector512 reads whole vectors.</summary>
    public const int MaxLanes = 16;

    /// <summary>
    /// Per staged column phase of one padded row: every tile column plus the one to its right, rounded up to whole
    /// vectors of 16 so that staging splits whole vectors and no transform load leaves the row.
    /// </summary>
    public static int PhaseLength(int tilesX) => RoundUp(tilesX + 1, MaxLanes);

    /// <summary>
    /// Staging for a block of <paramref name="tileRows"/> tile rows: 4·rows + 2 padded rows plus one work row, each of
    /// 4 column phases. A multiple of 64, so buffers placed after it start on a cache line.
    /// </summary>
    public static int StagedLength(int tileRows, int tilesX) => (4 * tileRows + 3) * 4 * PhaseLength(tilesX);

    /// <summary>One transformed row of a block of <paramref name="tiles"/> tiles: rounded up to 16, plus 16 for vector overrun.</summary>
    public static int BlockStride(int tiles) => RoundUp(tiles, MaxLanes) + MaxLanes;

    /// <summary>
    /// Between consecutive points of V or M (<paramref name="floats"/> a multiple of 16). The 36 points of one tile are
    /// read or written together; a stride of an even number of cache lines (a whole number of pages in the worst case)
    /// sends them all to a few L1 sets, which hold 12 lines each. An odd number of lines spreads them over 36 sets.
    /// </summary>
    public static int PointStride(int floats) => floats / 16 % 2 == 0 ? floats + 16 : floats;

    /// <summary>Output channels padded to a whole number of GEMM tiles of <paramref name="filters"/>.</summary>
    public static int PaddedFilters(int outChannels, int filters) => RoundUp(outChannels, filters);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
