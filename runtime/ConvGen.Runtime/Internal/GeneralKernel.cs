using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// Entry point into the general (run-time geometry) kernels for generated layers that fall back to them, e.g. because
/// their kernel is too large to unroll. Shapes must already be checked with <see cref="LayerGuard.CheckForward"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneralKernel
{
    /// <summary>Runs the general kernel of a convolution or separable layer; <paramref name="bias"/> is empty for a layer without bias.</summary>
    public static void Run(in ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        float[] weights, float[] bias, Span<float> output, TensorShape outputShape)
    {
        if (geometry.Kind == ConvKind.Separable)
        {
            GeneralConvLayer.RunSeparable(geometry, input, inputShape, weights, bias, output, outputShape);
            return;
        }

        if (geometry.Kind == ConvKind.Transposed)
        {
            throw new ArgumentException("Transposed layers run through RunTransposed, which needs a buffer for the rewritten weights.", nameof(geometry));
        }

        GeneralConvKernel.Run(geometry, input, inputShape, weights, bias, output, outputShape);
    }

    /// <summary>
    /// Runs the general kernel of a transposed layer; <paramref name="converted"/> (as long as the weights) receives
    /// the weights rearranged for the phase kernel ([Cin, taps, Cout/G]).
    /// </summary>
    public static void RunTransposed(in ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        float[] weights, float[] converted, float[] bias, Span<float> output, TensorShape outputShape)
    {
        GeneralConvTransposeKernel.ConvertWeights(geometry, weights, converted);
        GeneralConvTransposeKernel.Run(geometry, input, inputShape, converted, bias, output, outputShape);
    }
}
