using System;
using System.Runtime.InteropServices;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The general transposed-convolution kernel: the transposed layer runs as the convolution it is the gradient of.
/// Each input value is placed Stride apart in a zero buffer bordered by the dilated kernel (less the cropping
/// padding, plus the output padding at the end), and a stride-1 convolution with every filter flipped and the
/// channel axes swapped reads it (<see cref="GeneralConvKernel.Convolve"/>).
/// </summary>
/// <remarks>
/// Simple and exact, but at stride S it multiplies S^dims times as many zeros as inputs; the generated transposed
/// kernels avoid that by computing each output phase from only the taps that reach it.
/// </remarks>
internal static class GeneralConvTransposeKernel
{
    /// <summary>
    /// Rewrites PyTorch transposed weights [Cin, Cout/G, k...] as the equivalent convolution's [Cout, Cin/G, k...],
    /// each kernel flipped on every axis (which reverses its flattened taps).
    /// </summary>
    public static void ConvertWeights(in ConvGeometry g, ReadOnlySpan<float> weights, Span<float> converted)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, taps = (int)g.KernelTaps;
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            int group = ci / cinG, icg = ci % cinG;
            for (int j = 0; j < coutG; j++)
            {
                ReadOnlySpan<float> src = weights.Slice((ci * coutG + j) * taps, taps);
                Span<float> dst = converted.Slice(((group * coutG + j) * cinG + icg) * taps, taps);
                for (int t = 0; t < taps; t++)
                {
                    dst[taps - 1 - t] = src[t];
                }
            }
        }
    }

    /// <summary>The stride-1, unpadded convolution that <see cref="Run"/> applies to the zero-inserted input.</summary>
    public static ConvGeometry Equivalent(in ConvGeometry g) => g with
    {
        Kind = ConvKind.Convolution,
        StrideD = 1, StrideH = 1, StrideW = 1,
        PadD = 0, PadH = 0, PadW = 0,
        OutputPadD = 0, OutputPadH = 0, OutputPadW = 0,
        PaddingRule = PaddingRule.Explicit,
        StaticInD = 0, StaticInH = 0, StaticInW = 0,
    };

    /// <summary>Runs the layer; <paramref name="converted"/> holds the weights as <see cref="ConvertWeights"/> left them.</summary>
    public static void Run(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> converted,
        ReadOnlySpan<float> bias, Span<float> output, TensorShape o)
    {
        Pads p = LayerGuard.ResolvePads(g, s, nameof(ConvTranspose));

        // Input value i lands at begin + i·S in a buffer as long as the output plus the dilated kernel.
        int beginD = g.DilationD * (g.KernelD - 1) - p.Front;
        int beginH = g.DilationH * (g.KernelH - 1) - p.Top;
        int beginW = g.DilationW * (g.KernelW - 1) - p.Left;
        int ud = o.D + g.DilationD * (g.KernelD - 1);
        int uh = o.H + g.DilationH * (g.KernelH - 1);
        int uw = o.W + g.DilationW * (g.KernelW - 1);
        nint planeSize = (nint)uh * uw, channelSize = ud * planeSize;
        var layout = new GeneralConvKernel.Layout(Equivalent(g), o, uw, uw, planeSize, channelSize);
        int inImage = (int)(s.C * s.SpatialSize), outImage = (int)(o.C * o.SpatialSize);
        for (int n = 0; n < s.N; n++)
        {
            Span<float> u = Scratch.Get(checked((int)(s.C * channelSize)));
            u.Clear();
            ReadOnlySpan<float> image = input.Slice(n * inImage, inImage);
            for (int c = 0; c < s.C; c++)
            {
                for (int d = 0; d < s.D; d++)
                {
                    int zd = beginD + d * g.StrideD;
                    if ((uint)zd >= (uint)ud)
                    {
                        continue;
                    }

                    for (int h = 0; h < s.H; h++)
                    {
                        int zh = beginH + h * g.StrideH;
                        if ((uint)zh >= (uint)uh)
                        {
                            continue;
                        }

                        ReadOnlySpan<float> row = image.Slice(((c * s.D + d) * s.H + h) * s.W, s.W);
                        Span<float> target = u.Slice((int)(c * channelSize + zd * planeSize + (nint)zh * uw));
                        for (int w = 0; w < s.W; w++)
                        {
                            int zw = beginW + w * g.StrideW;
                            if ((uint)zw < (uint)uw)
                            {
                                target[zw] = row[w];
                            }
                        }
                    }
                }
            }

            GeneralConvKernel.Convolve(layout, ref MemoryMarshal.GetReference(u), converted, bias, output.Slice(n * outImage, outImage));
        }
    }
}
