using System;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The textbook convolution in plain loops with double accumulation: the oracle every kernel is tested against.
/// Slow on purpose; it shares nothing with the kernels but the shape check.
/// </summary>
public static class ConvReference
{
    /// <summary>
    /// Cross-correlation of NCHW <paramref name="input"/> with OIHW <paramref name="weights"/> plus one bias per filter
    /// (pass an empty <paramref name="bias"/> for none), written to NCHW <paramref name="output"/>.
    /// </summary>
    public static void Conv2d(ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        geometry.Validate();
        TensorShape o = LayerGuard.CheckForward(geometry, input.Length, inputShape, output.Length, nameof(ConvReference));
        if (weights.Length != geometry.WeightCount)
        {
            throw new ArgumentException($"weights has {weights.Length} elements but {geometry} needs {geometry.WeightCount}.", nameof(weights));
        }

        if (bias.Length != 0 && bias.Length != geometry.OutChannels)
        {
            throw new ArgumentException($"bias has {bias.Length} elements but {geometry} needs 0 or {geometry.OutChannels}.", nameof(bias));
        }

        int cinG = geometry.InChannelsPerGroup, coutG = geometry.OutChannelsPerGroup;
        int h = inputShape.H, w = inputShape.W, kh = geometry.KernelH, kw = geometry.KernelW;
        for (int n = 0; n < o.N; n++)
        {
            for (int oc = 0; oc < o.C; oc++)
            {
                int g = oc / coutG;
                for (int oy = 0; oy < o.H; oy++)
                {
                    for (int ox = 0; ox < o.W; ox++)
                    {
                        double sum = bias.Length == 0 ? 0.0 : bias[oc];
                        for (int ic = 0; ic < cinG; ic++)
                        {
                            int c = g * cinG + ic;
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * geometry.StrideH - geometry.PadH + ky * geometry.DilationH;
                                if (iy < 0 || iy >= h)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * geometry.StrideW - geometry.PadW + kx * geometry.DilationW;
                                    if (ix < 0 || ix >= w)
                                    {
                                        continue;
                                    }

                                    double x = input[((n * inputShape.C + c) * h + iy) * w + ix];
                                    double wt = weights[((oc * cinG + ic) * kh + ky) * kw + kx];
                                    sum += x * wt;
                                }
                            }
                        }

                        output[((n * o.C + oc) * o.H + oy) * o.W + ox] = (float)sum;
                    }
                }
            }
        }
    }
}
