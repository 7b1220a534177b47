using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Which valid geometries the emitter can generate code for. The analyzer validates every kind and dimension; the
/// generator emits only for these, and stays silent for the rest until the emitter learns them.
/// </summary>
internal static class EmitterSupport
{
    /// <summary>A 2-D convolution with explicit, symmetric zero padding and no activation.</summary>
    public static bool IsSupported(LayerGeometry g)
        => g.Kind == LayerKind.Convolution
           && g.Dimensions == 2
           && g.PaddingRule == LayerPaddingRule.Explicit
           && g.PaddingMode == LayerPaddingMode.Zeros
           && g.Activation == LayerActivation.None
           && g.PadBottom == g.PadH
           && g.PadRight == g.PadW;
}
