using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emitting;

/// <summary>
/// Which valid geometries get a specialized kernel. Every valid layer gets its class; the others run the runtime's
/// general kernel for their kind, and the header, the class remarks and diagnostic CONV0080 say why.
/// </summary>
internal static class EmitterSupport
{
    /// <summary>
    /// Null when a convolution (or a transposed layer's phase) gets a specialized kernel, otherwise the reason it does
    /// not (a clause after "because"). Transposed and separable layers are split into such convolutions by the planner first.
    /// </summary>
    public static string? WhyGeneral(LayerGeometry g)
    {
        if (!g.PadsKnownAtBuildTime)
        {
            return "'same' padding at a stride above 1 depends on the input size, which the attribute does not fix (give the input size to specialize)";
        }

        return null;
    }
}
