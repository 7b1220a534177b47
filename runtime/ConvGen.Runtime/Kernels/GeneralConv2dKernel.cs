using System;

namespace ConvGen;

// PLACEHOLDER: replaced by the vectorized general kernel.
internal static class GeneralConv2dKernel
{
    public static void Run(ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, float[] weights, float[] bias, Span<float> output, TensorShape outputShape)
        => ConvReference.Conv2d(g, input, inputShape, weights, bias, output);
}
