using System;

namespace ConvGen;

public static partial class ConvReference
{
    private static void RunConvolution(in ConvGeometry g, Grid grid, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        int inImage = inputShape.C * grid.InSpatial, outImage = g.OutChannels * grid.OutSpatial;
        for (int n = 0; n < inputShape.N; n++)
        {
            double[] sums = Correlate(input.Slice(n * inImage, inImage), g.InChannels, g.OutChannels, g.Groups, weights, grid, g.PaddingMode);
            Finish(g, sums, bias, grid.OutSpatial, output.Slice(n * outImage, outImage));
        }
    }

    /// <summary>
    /// Grouped cross-correlation of one image [cin, D, H, W] with weights [cout, cin/groups, Kd, Kh, Kw]: returns the
    /// sums [cout, outD, outH, outW] without bias. Output channel oc of group oc / (cout/groups) reads that group's
    /// input channels; input position o·S − padBegin + k·dilation, mapped into the input by <paramref name="mode"/>.
    /// </summary>
    private static double[] Correlate(ReadOnlySpan<float> image, int cin, int cout, int groups, ReadOnlySpan<float> weights,
        Grid grid, PaddingMode mode)
    {
        Axis ad = grid.D, ah = grid.H, aw = grid.W;
        int cinG = cin / groups, coutG = cout / groups;
        var sums = new double[cout * grid.OutSpatial];
        int at = 0;
        for (int oc = 0; oc < cout; oc++)
        {
            int group = oc / coutG;
            for (int od = 0; od < ad.Out; od++)
            {
                for (int oh = 0; oh < ah.Out; oh++)
                {
                    for (int ow = 0; ow < aw.Out; ow++)
                    {
                        double sum = 0;
                        for (int ic = 0; ic < cinG; ic++)
                        {
                            int c = group * cinG + ic;
                            for (int kd = 0; kd < ad.Kernel; kd++)
                            {
                                int id = Source(od * ad.Stride - ad.PadBegin + kd * ad.Dilation, ad.In, mode);
                                if (id < 0)
                                {
                                    continue;
                                }

                                for (int kh = 0; kh < ah.Kernel; kh++)
                                {
                                    int ih = Source(oh * ah.Stride - ah.PadBegin + kh * ah.Dilation, ah.In, mode);
                                    if (ih < 0)
                                    {
                                        continue;
                                    }

                                    for (int kw = 0; kw < aw.Kernel; kw++)
                                    {
                                        int iw = Source(ow * aw.Stride - aw.PadBegin + kw * aw.Dilation, aw.In, mode);
                                        if (iw < 0)
                                        {
                                            continue;
                                        }

                                        double x = image[((c * ad.In + id) * ah.In + ih) * aw.In + iw];
                                        double w = weights[(((oc * cinG + ic) * ad.Kernel + kd) * ah.Kernel + kh) * aw.Kernel + kw];
                                        sum += x * w;
                                    }
                                }
                            }
                        }

                        sums[at++] = sum;
                    }
                }
            }
        }

        return sums;
    }

    /// <summary>
    /// The input element that padded position <paramref name="i"/> of an axis of <paramref name="size"/> reads, or −1
    /// for a zero. PyTorch's modes: reflect mirrors without repeating the edge (−i, 2(n−1) − i), replicate clamps,
    /// circular wraps. One reflection or wrap is enough because LayerGuard limits the padding to the input size.
    /// </summary>
    private static int Source(int i, int size, PaddingMode mode)
    {
        if (i >= 0 && i < size)
        {
            return i;
        }

        int source = mode switch
        {
            PaddingMode.Zeros => -1,
            PaddingMode.Reflect => i < 0 ? -i : 2 * (size - 1) - i,
            PaddingMode.Replicate => i < 0 ? 0 : size - 1,
            PaddingMode.Circular => i < 0 ? i + size : i - size,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a PaddingMode."),
        };
        if (mode != PaddingMode.Zeros && (source < 0 || source >= size))
        {
            // Only reachable if the shape check let through padding larger than the input allows.
            throw new InvalidOperationException($"Padded position {i} of an axis of size {size} has no {mode} source.");
        }

        return source;
    }
}
