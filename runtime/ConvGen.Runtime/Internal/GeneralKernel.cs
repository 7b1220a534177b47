using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Entry point into the general (run-time geometry) kernel for generated layers that fall back to it, e.g. because
/// their kernel is too large to unroll. Shapes must already be checked with <see cref="LayerGuard.CheckForward"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneralKernel
{
    /// <summary>Runs the general kernel; <paramref name="bias"/> is empty for a layer without bias.</summary>
    public static void Run(in ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        float[] weights, float[] bias, Span<float> output, TensorShape outputShape)
        => GeneralConv2dKernel.Run(geometry, input, inputShape, weights, bias, output, outputShape);
}
