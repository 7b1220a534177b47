using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Planning;

/// <summary>
/// How one layer's code is generated: the class shell plus either a specialized kernel (tile sizes and vector widths
/// decided here) or a delegation to the runtime's general kernel with the reason.
/// </summary>
internal sealed record KernelPlan
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";

    /// <summary>The attribute that declared the layer, without "Attribute" (e.g. "Conv1dLayer").</summary>
    public string AttributeName { get; init; } = "ConvLayer";
    public string Keyword { get; init; } = "class";
    public EquatableArray<ContainingType> ContainingTypes { get; init; } = EquatableArray<ContainingType>.Empty;
    public string HintName { get; init; } = "";
    public LayerGeometry Geometry { get; init; } = null!;

    /// <summary>Null when the kernel is specialized; otherwise why the general kernel is used.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Output channels per register tile in the main loop.</summary>
    public int OcTile { get; init; }

    /// <summary>Output channels in the remainder tile (Cout/G mod OcTile when channels are static; 1 otherwise; 0 for none).</summary>
    public int OcRemainderTile { get; init; }

    /// <summary>Vector widths in bits the kernel is emitted for, widest first (Vector512 only when the target framework has it).</summary>
    public EquatableArray<int> VectorWidths { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The register tile for each of <see cref="VectorWidths"/>, in the same order.</summary>
    public EquatableArray<TileShape> Tiles { get; init; } = EquatableArray<TileShape>.Empty;

    /// <summary>
    /// For layers whose width is known only at run time: a one-vector tile per vector width whose main tile has several
    /// vectors, used when a row needs fewer vectors than the main tile holds. Without it the main tile's overlapping
    /// column blocks would compute the same pixels several times (four times for a 16-pixel row and a 4-vector
    /// Vector512 tile).
    /// </summary>
    public EquatableArray<TileShape> NarrowTiles { get; init; } = EquatableArray<TileShape>.Empty;

    /// <summary>Set when the layer runs Winograd F(4x4, 3x3) on its vector paths (the scalar path stays direct).</summary>
    public WinogradPlan? Winograd { get; init; }

    /// <summary>Why a 3x3 stride-1 layer stays on the direct kernel; null when Winograd never applies or is chosen.</summary>
    public string? WinogradWhyNot { get; init; }

    /// <summary>A transposed layer's output phases, each with its own convolution kernel; null for other kinds.</summary>
    public EquatableArray<PhasePlan>? Phases { get; init; }

    /// <summary>A separable layer's depthwise kernel (valid, over padded bands); null for other kinds.</summary>
    public KernelPlan? Depthwise { get; init; }

    /// <summary>A separable layer's pointwise kernel (1×1 with the bias and activation); null for other kinds.</summary>
    public KernelPlan? Pointwise { get; init; }

    /// <summary>
    /// A Winograd kernel planned for the input already padded (by a non-zero padding mode or asymmetric pads, which
    /// Winograd's staging does not do): the layer pads first, then runs this. Null otherwise.
    /// </summary>
    public KernelPlan? PrePadded { get; init; }

    /// <summary>
    /// The specialized kernel(s) of the gradient with respect to the input: for a convolution, the transposed layer with
    /// its weights (split into phases); for a transposed layer, the convolution with its weights. Null when the
    /// backward pass runs the runtime's general kernel.
    /// </summary>
    public KernelPlan? BackwardData { get; init; }

    public bool IsSpecialized => FallbackReason is null;
}
