using System.Globalization;
using System.Text;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>Decides how a valid layer is generated. Pure and shared with the analyzer, which reports fallbacks.</summary>
internal static class KernelPlanner
{
    /// <summary>
    /// Taps unrolled per input channel. Beyond this the emitted source grows past what is reasonable to compile for
    /// every build (each tap is one load and one multiply-add per accumulator, per vector width) while the extra
    /// unrolling no longer pays: a 9x9 kernel's inner loop is already long enough to hide loop overhead.
    /// </summary>
    public const int MaxUnrolledTaps = 64;

    /// <summary>Accumulators per tile: 8 output channels fit in 16 vector registers with the input vector and a broadcast.</summary>
    public const int MaxOcTile = 8;

    /// <summary>Tile for layers whose channel count is only known at run time.</summary>
    public const int DynamicOcTile = 4;

    public static KernelPlan Plan(LayerSpec spec)
    {
        LayerGeometry g = spec.Resolve();
        string? reason = Emitting.EmitterSupport.WhyGeneral(g);
        if (reason is null && g.PlaneTaps > MaxUnrolledTaps)
        {
            reason = string.Format(CultureInfo.InvariantCulture,
                "its {0}x{1} kernel has {2} taps per input channel, above the unroll budget of {3}", g.KernelH, g.KernelW, g.PlaneTaps, MaxUnrolledTaps);
        }

        int ocTile, remainder;
        if (g.HasStaticChannels)
        {
            int coutG = g.OutChannelsPerGroup;
            ocTile = coutG < MaxOcTile ? coutG : MaxOcTile;
            remainder = coutG % ocTile;
        }
        else
        {
            ocTile = DynamicOcTile;
            remainder = 1;
        }

        WinogradPlan? winograd = null;
        string? whyNot = null;
        if (reason is null && g.Dimensions == 2)
        {
            winograd = WinogradPlanner.Choose(g, spec.AllowWinograd, out whyNot);
        }

        int[] widths = spec.HasVector512 ? new[] { 512, 256, 128 } : new[] { 256, 128 };
        return new KernelPlan
        {
            Namespace = spec.Namespace,
            ClassName = spec.ClassName,
            AttributeName = spec.AttributeName,
            Keyword = spec.Keyword,
            ContainingTypes = spec.ContainingTypes,
            HintName = HintName(spec),
            Geometry = g,
            FallbackReason = reason,
            OcTile = ocTile,
            OcRemainderTile = remainder,
            Winograd = winograd,
            WinogradWhyNot = whyNot,
            VectorWidths = new EquatableArray<int>(widths),
            Tiles = new EquatableArray<TileShape>(reason is null ? System.Array.ConvertAll(widths, b => NoHoistInDepth(TilePlanner.Choose(b, g), g)) : System.Array.Empty<TileShape>()),
        };
    }

    /// <summary>A 3-D kernel changes weights with every depth tap, so none stay in registers across the plane.</summary>
    private static TileShape NoHoistInDepth(TileShape tile, LayerGeometry g)
        => g.HasDepthLoop && tile.HoistWeights ? tile with { HoistWeights = false, Why = tile.Why.Replace($", {g.Taps} weights held in registers", "") } : tile;

    private static string HintName(LayerSpec spec)
    {
        var name = new StringBuilder();
        if (spec.Namespace.Length > 0)
        {
            name.Append(spec.Namespace).Append('.');
        }

        foreach (ContainingType outer in spec.ContainingTypes)
        {
            name.Append(outer.NameWithTypeParameters).Append('.');
        }

        name.Append(spec.ClassName).Append(".ConvLayer.g.cs");
        return name.Replace('<', '{').Replace('>', '}').Replace(", ", ",").ToString();
    }
}
