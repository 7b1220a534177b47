namespace ConvGen.Generator.Planning;

/// <summary>
/// How a layer runs Winograd F(4x4, 3x3): the grid of 4x4 output tiles, cut into blocks of whole tile rows whose
/// transformed data is worked on together (larger on one thread, L2-sized when threads share the work), and why the
/// algorithm was chosen.
/// </summary>
internal sealed record WinogradPlan(int TilesY, int TilesX, int BlockRows, int Blocks, int SharedBlockRows, string Why)
{
    /// <summary>Tiles in the largest block.</summary>
    public int BlockTiles => BlockRows * TilesX;
}
