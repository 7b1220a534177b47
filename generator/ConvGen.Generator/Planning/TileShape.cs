namespace ConvGen.Generator.Planning;

/// <summary>
/// The register tile of one vector width: <see cref="Filters"/> output channels x <see cref="Rows"/> output rows x
/// <see cref="Vectors"/> vectors of output pixels along a row, each an independent accumulator local.
/// </summary>
/// <param name="Bits">Vector width: 512, 256 or 128.</param>
/// <param name="HoistWeights">
/// Whether the filter's taps are broadcast into registers once per call (a single filter over a single input channel:
/// depthwise and one-channel layers, whose inner loop would otherwise be half broadcasts).
/// </param>
/// <param name="Why">A line for the generated header: the numbers behind the choice.</param>
/// <param name="Narrow">
/// A one-vector tile for rows narrower than the main tile of the same width (see <see cref="KernelPlan.NarrowTiles"/>).
/// </param>
/// <param name="Score">The cost model's efficiency estimate for full rows (see <see cref="TilePlanner"/>).</param>
/// <param name="NarrowUpTo">For a narrow tile: the rows it serves are at most this many vectors long.</param>
internal sealed record TileShape(int Bits, int Filters, int Rows, int Vectors, bool HoistWeights, string Why, bool Narrow = false, double Score = 0, int NarrowUpTo = 0)
{
    public int Lanes => Bits / 32;

    public int Accumulators => Filters * Rows * Vectors;

    public string Name => $"F{Filters}R{Rows}V{Vectors}";
}
