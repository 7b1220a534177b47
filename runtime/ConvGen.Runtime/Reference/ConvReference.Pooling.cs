using System;
using ConvGen.Internal;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// PyTorch's <c>max_pool1d/2d/3d</c> (<c>ceil_mode=False</c>) in plain loops: every spatial axis of
    /// <paramref name="inputShape"/> pooled with window <paramref name="k"/>, stride <paramref name="s"/> and padding
    /// <paramref name="p"/>. Padded positions never win; a NaN in a window makes the output NaN.
    /// </summary>
    /// <param name="input">The input batch (NCL, NCHW or NCDHW).</param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="output">Exactly as many elements as <see cref="PoolingKernel.OutputShape"/> gives.</param>
    /// <param name="k">Window size on every spatial axis.</param>
    /// <param name="s">Stride on every spatial axis (positive).</param>
    /// <param name="p">Padding on both ends of every spatial axis, at most K / 2.</param>
    /// <exception cref="ArgumentException">The window does not fit the shape or a span's length is wrong.</exception>
    public static void MaxPool(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, int k, int s, int p)
        => Pool(true, input, inputShape, output, k, s, p, countIncludePad: false);

    /// <summary>
    /// PyTorch's <c>avg_pool1d/2d/3d</c> (<c>ceil_mode=False</c>, no divisor override) in plain loops with double
    /// accumulation. The divisor is, per axis, min(start + K, n + P) − start with <paramref name="countIncludePad"/>,
    /// else the number of real inputs in the window; the product over the axes.
    /// </summary>
    /// <param name="input">The input batch (NCL, NCHW or NCDHW).</param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="output">Exactly as many elements as <see cref="PoolingKernel.OutputShape"/> gives.</param>
    /// <param name="k">Window size on every spatial axis.</param>
    /// <param name="s">Stride on every spatial axis (positive).</param>
    /// <param name="p">Padding on both ends of every spatial axis, at most K / 2.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor.</param>
    /// <exception cref="ArgumentException">The window does not fit the shape or a span's length is wrong.</exception>
    public static void AvgPool(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, int k, int s, int p, bool countIncludePad)
        => Pool(false, input, inputShape, output, k, s, p, countIncludePad);

    /// <summary>
    /// PyTorch's <c>adaptive_avg_pool*d(x, 1)</c>: the mean of each channel of each sample over all its positions,
    /// accumulated in double, written as (N, C) with every spatial size 1.
    /// </summary>
    /// <param name="input">The input batch.</param>
    /// <param name="inputShape">Its shape.</param>
    /// <param name="output">Exactly N·C elements.</param>
    /// <exception cref="ArgumentException">The shape has a non-positive size or a span's length is wrong.</exception>
    public static void GlobalAvgPool(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
    {
        NetworkGuard.CheckShape(inputShape, LayerName);
        NetworkGuard.CheckLengths(LayerName, input.Length, inputShape, output.Length, inputShape with { D = 1, H = 1, W = 1 });
        int plane = inputShape.D * inputShape.H * inputShape.W;
        for (int i = 0; i < inputShape.N * inputShape.C; i++)
        {
            double sum = 0;
            for (int j = 0; j < plane; j++)
            {
                sum += input[i * plane + j];
            }

            output[i] = (float)(sum / plane);
        }
    }

    private static void Pool(bool max, ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, int k, int s, int p, bool countIncludePad)
    {
        TensorShape outputShape = PoolingKernel.OutputShape(max, inputShape, k, s, p, LayerName);
        NetworkGuard.CheckLengths(LayerName, input.Length, inputShape, output.Length, outputShape);

        // Axes the shape does not have are pooled with a 1-wide window, stride 1, no padding: a pass-through.
        int dims = inputShape.Dimensions;
        int kd = dims == 3 ? k : 1, sd = dims == 3 ? s : 1, pd = dims == 3 ? p : 0;
        int kh = dims >= 2 ? k : 1, sh = dims >= 2 ? s : 1, ph = dims >= 2 ? p : 0;
        int inD = inputShape.D, inH = inputShape.H, inW = inputShape.W;
        int at = 0;
        for (int n = 0; n < inputShape.N; n++)
        {
            for (int c = 0; c < inputShape.C; c++)
            {
                int plane = (n * inputShape.C + c) * inD * inH * inW;
                for (int od = 0; od < outputShape.D; od++)
                {
                    for (int oh = 0; oh < outputShape.H; oh++)
                    {
                        for (int ow = 0; ow < outputShape.W; ow++)
                        {
                            int d0 = od * sd - pd, h0 = oh * sh - ph, w0 = ow * s - p;
                            float best = float.NegativeInfinity;
                            double sum = 0;
                            int real = 0;
                            for (int kz = 0; kz < kd; kz++)
                            {
                                for (int ky = 0; ky < kh; ky++)
                                {
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        int id = d0 + kz, ih = h0 + ky, iw = w0 + kx;
                                        if (id < 0 || id >= inD || ih < 0 || ih >= inH || iw < 0 || iw >= inW)
                                        {
                                            continue; // padding: −∞ for max, 0 for the sum
                                        }

                                        float v = input[plane + (id * inH + ih) * inW + iw];
                                        if (v > best || float.IsNaN(v))
                                        {
                                            best = v;
                                        }

                                        sum += v;
                                        real++;
                                    }
                                }
                            }

                            if (max)
                            {
                                output[at++] = best;
                                continue;
                            }

                            long divisor = countIncludePad
                                ? (long)(Math.Min(d0 + kd, inD + pd) - d0) * (Math.Min(h0 + kh, inH + ph) - h0) * (Math.Min(w0 + k, inW + p) - w0)
                                : real;
                            output[at++] = (float)(sum / divisor);
                        }
                    }
                }
            }
        }
    }
}
