using System;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// Depthwise then pointwise: the depthwise half is a grouped convolution with groups = Cin and Cin·M outputs, so
    /// output j reads input channel j / M (PyTorch's groups order, which is Keras' depth_multiplier order), with the
    /// layer's padding, stride and dilation and no bias. The pointwise half mixes those Cin·M channels per position
    /// with [Cout, Cin·M] weights, then adds the bias and applies the activation. The depthwise sums stay in double.
    /// </summary>
    private static void RunSeparable(in ConvGeometry g, Grid grid, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        int mid = g.DepthwiseChannels, spatial = grid.OutSpatial;
        ReadOnlySpan<float> depthwise = weights[..g.DepthwiseWeightCount];
        ReadOnlySpan<float> pointwise = weights[g.DepthwiseWeightCount..];
        int inImage = inputShape.C * grid.InSpatial, outImage = g.OutChannels * spatial;
        for (int n = 0; n < inputShape.N; n++)
        {
            double[] dw = Correlate(input.Slice(n * inImage, inImage), g.InChannels, mid, g.InChannels, depthwise, grid, g.PaddingMode);
            var sums = new double[outImage];
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                for (int p = 0; p < spatial; p++)
                {
                    double sum = 0;
                    for (int j = 0; j < mid; j++)
                    {
                        sum += pointwise[oc * mid + j] * dw[j * spatial + p];
                    }

                    sums[oc * spatial + p] = sum;
                }
            }

            Finish(g, sums, bias, spatial, output.Slice(n * outImage, outImage));
        }
    }
}
