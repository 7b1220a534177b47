using System;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// PyTorch's ConvTranspose: out[oc, o] = bias + Σ in[c, i]·w[c, oc mod (Cout/G), k] over the input channels c of
    /// oc's group and every input position i and tap k with o = i·S − padBegin + k·dilation. Written as a gather (for
    /// each output, find the i that reach it) so the activation sees the whole sum. Outputs added by output padding
    /// have no such i and get the bias alone.
    /// </summary>
    private static void RunTransposed(in ConvGeometry g, Grid grid, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        Axis ad = grid.D, ah = grid.H, aw = grid.W;
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        int inImage = inputShape.C * grid.InSpatial, outImage = g.OutChannels * grid.OutSpatial;
        for (int n = 0; n < inputShape.N; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * inImage, inImage);
            var sums = new double[outImage];
            int at = 0;
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                int group = oc / coutG, j = oc % coutG;
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
                                    int id = Origin(od, kd, ad);
                                    if (id < 0)
                                    {
                                        continue;
                                    }

                                    for (int kh = 0; kh < ah.Kernel; kh++)
                                    {
                                        int ih = Origin(oh, kh, ah);
                                        if (ih < 0)
                                        {
                                            continue;
                                        }

                                        for (int kw = 0; kw < aw.Kernel; kw++)
                                        {
                                            int iw = Origin(ow, kw, aw);
                                            if (iw < 0)
                                            {
                                                continue;
                                            }

                                            double x = image[((c * ad.In + id) * ah.In + ih) * aw.In + iw];
                                            double w = weights[(((c * coutG + j) * ad.Kernel + kd) * ah.Kernel + kh) * aw.Kernel + kw];
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

            Finish(g, sums, bias, grid.OutSpatial, output.Slice(n * outImage, outImage));
        }
    }

    /// <summary>The input position i with o = i·S − padBegin + k·dilation, or −1 when there is none in the input.</summary>
    private static int Origin(int o, int k, Axis axis)
    {
        int scaled = o + axis.PadBegin - k * axis.Dilation;
        if (scaled < 0 || scaled % axis.Stride != 0)
        {
            return -1;
        }

        int i = scaled / axis.Stride;
        return i < axis.In ? i : -1;
    }
}
