using System;
using System.Collections.Generic;
using ConvGen.Internal;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// Gradient of max or average pooling with respect to its input (overwritten): average pooling spreads each output
    /// gradient evenly over its window (divided by the forward's divisor); max pooling sends it to the window's first
    /// largest input, in scan order (PyTorch's choice for ties).
    /// </summary>
    /// <exception cref="ArgumentException">The window does not fit the shape or a span's length is wrong.</exception>
    public static void PoolBackward(bool max, ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, int k, int s, int p, bool countIncludePad)
    {
        CheckLength(inputGradient.Length, input.Length, nameof(inputGradient));
        List<(int[] Window, long Divisor)> windows = Windows(max, inputShape, input.Length, outputGradient.Length, k, s, p, countIncludePad);
        var dx = new double[input.Length];
        for (int o = 0; o < windows.Count; o++)
        {
            (int[] window, long divisor) = windows[o];
            if (max)
            {
                int best = -1;
                foreach (int i in window)
                {
                    if (best < 0 || input[i] > input[best])
                    {
                        best = i;
                    }
                }

                if (best >= 0)
                {
                    dx[best] += outputGradient[o];
                }
            }
            else
            {
                foreach (int i in window)
                {
                    dx[i] += outputGradient[o] / (double)divisor;
                }
            }
        }

        Narrow(dx, inputGradient);
    }

    /// <summary>Max or average pooling in double precision over the windows <see cref="PoolBackward"/> uses.</summary>
    public static double[] PoolForwardDouble(bool max, ReadOnlySpan<double> input, TensorShape inputShape, int k, int s, int p, bool countIncludePad)
    {
        TensorShape outputShape = PoolingKernel.OutputShape(max, inputShape, k, s, p, LayerName);
        List<(int[] Window, long Divisor)> windows = Windows(max, inputShape, input.Length, (int)outputShape.ElementCount, k, s, p, countIncludePad);
        var y = new double[windows.Count];
        for (int o = 0; o < y.Length; o++)
        {
            double best = double.NegativeInfinity, sum = 0;
            foreach (int i in windows[o].Window)
            {
                best = Math.Max(best, input[i]);
                sum += input[i];
            }

            y[o] = max ? best : sum / windows[o].Divisor;
        }

        return y;
    }

    /// <summary>Gradient of global average pooling: each channel's output gradient divided over its positions.</summary>
    public static void GlobalAvgPoolBackward(TensorShape inputShape, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        NetworkGuard.CheckShape(inputShape, LayerName);
        NetworkGuard.CheckLengths(LayerName, inputGradient.Length, inputShape, outputGradient.Length, inputShape with { D = 1, H = 1, W = 1 });
        int plane = inputShape.D * inputShape.H * inputShape.W;
        for (int i = 0; i < inputGradient.Length; i++)
        {
            inputGradient[i] = (float)(outputGradient[i / plane] / (double)plane);
        }
    }

    /// <summary>
    /// Gradients of a linear layer (overwritten): with dz = dy·f'(z) at the pre-activation z = x·Wᵀ + b,
    /// dx = dz·W, dW = dzᵀ·x, db = Σ over the batch of dz.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes.</exception>
    public static void LinearBackward(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int inFeatures, int outFeatures, Activation activation, float negativeSlope, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient)
    {
        LinearKernel.OutputShape(inputShape, inFeatures, outFeatures, LayerName);
        int batch = inputShape.N;
        CheckLength(input.Length, batch * inFeatures, nameof(input));
        CheckLength(weights.Length, inFeatures * outFeatures, nameof(weights));
        CheckLength(outputGradient.Length, batch * outFeatures, nameof(outputGradient));
        CheckLength(inputGradient.Length, input.Length, nameof(inputGradient));
        CheckLength(weightGradient.Length, weights.Length, nameof(weightGradient));
        CheckLength(biasGradient.Length, bias.Length, nameof(biasGradient));
        double[] z = LinearSums(Widen(input), Widen(weights), Widen(bias), batch, inFeatures, outFeatures);
        var dx = new double[input.Length];
        var dw = new double[weights.Length];
        var db = new double[bias.Length];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double dz = outputGradient[n * outFeatures + o] * Derivative(activation, negativeSlope, z[n * outFeatures + o]);
                for (int i = 0; i < inFeatures; i++)
                {
                    dx[n * inFeatures + i] += dz * weights[o * inFeatures + i];
                    dw[o * inFeatures + i] += dz * input[n * inFeatures + i];
                }

                if (db.Length > 0)
                {
                    db[o] += dz;
                }
            }
        }

        Narrow(dx, inputGradient);
        Narrow(dw, weightGradient);
        Narrow(db, biasGradient);
    }

    /// <summary>A linear layer in double precision, activation included.</summary>
    public static double[] LinearForwardDouble(ReadOnlySpan<double> input, int batch, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias,
        int inFeatures, int outFeatures, Activation activation, float negativeSlope)
    {
        double[] z = LinearSums(input.ToArray(), weights.ToArray(), bias.ToArray(), batch, inFeatures, outFeatures);
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = ActivateDouble(activation, negativeSlope, z[i]);
        }

        return z;
    }

    private static double[] LinearSums(double[] x, double[] w, double[] b, int batch, int inFeatures, int outFeatures)
    {
        var z = new double[batch * outFeatures];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b.Length > 0 ? b[o] : 0;
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x[n * inFeatures + i] * w[o * inFeatures + i];
                }

                z[n * outFeatures + o] = sum;
            }
        }

        return z;
    }

    /// <summary>Each output's window of real input indices (scan order) and its average divisor.</summary>
    private static List<(int[] Window, long Divisor)> Windows(bool max, TensorShape inputShape, int inputLength, int outputLength,
        int k, int s, int p, bool countIncludePad)
    {
        TensorShape outputShape = PoolingKernel.OutputShape(max, inputShape, k, s, p, LayerName);
        NetworkGuard.CheckLengths(LayerName, inputLength, inputShape, outputLength, outputShape);
        int dims = inputShape.Dimensions;
        int kd = dims == 3 ? k : 1, sd = dims == 3 ? s : 1, pd = dims == 3 ? p : 0;
        int kh = dims >= 2 ? k : 1, sh = dims >= 2 ? s : 1, ph = dims >= 2 ? p : 0;
        int inD = inputShape.D, inH = inputShape.H, inW = inputShape.W;
        var windows = new List<(int[], long)>();
        var window = new List<int>();
        for (int plane = 0; plane < inputShape.N * inputShape.C; plane++)
        {
            for (int od = 0; od < outputShape.D; od++)
            for (int oh = 0; oh < outputShape.H; oh++)
            for (int ow = 0; ow < outputShape.W; ow++)
            {
                int d0 = od * sd - pd, h0 = oh * sh - ph, w0 = ow * s - p;
                window.Clear();
                for (int z = d0; z < d0 + kd; z++)
                for (int y = h0; y < h0 + kh; y++)
                for (int x = w0; x < w0 + k; x++)
                {
                    if (z >= 0 && z < inD && y >= 0 && y < inH && x >= 0 && x < inW)
                    {
                        window.Add(((plane * inD + z) * inH + y) * inW + x);
                    }
                }

                long divisor = countIncludePad
                    ? (long)(Math.Min(d0 + kd, inD + pd) - d0) * (Math.Min(h0 + kh, inH + ph) - h0) * (Math.Min(w0 + k, inW + p) - w0)
                    : window.Count;
                windows.Add((window.ToArray(), divisor));
            }
        }

        return windows;
    }
}
