using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>The pieces of a generated convolution's backward pass that do not depend on its geometry. Called by generated code only.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConvBackwardSupport
{
    /// <summary>
    /// The pre-activation output z, for the activations whose derivative cannot be read off the output (SiLU, and
    /// LeakyReLU with a negative slope): the forward pass again, without the activation, on the general kernel.
    /// </summary>
    public static void PreActivation(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape inputShape, float[] weights, float[] bias,
        Span<float> preActivation, TensorShape outputShape, ref float[]? converted)
    {
        ConvGeometry linear = g with { Activation = Activation.None };
        if (g.Kind == ConvKind.Transposed)
        {
            if (converted is null || converted.Length != weights.Length)
            {
                converted = new float[weights.Length];
            }

            GeneralKernel.RunTransposed(linear, input, inputShape, weights, converted, bias, preActivation, outputShape);
        }
        else
        {
            GeneralKernel.Run(linear, input, inputShape, weights, bias, preActivation, outputShape);
        }
    }

    /// <summary>The shape of <paramref name="shape"/> with <paramref name="pads"/> added.</summary>
    public static TensorShape Padded(TensorShape shape, Pads pads)
        => shape with { D = shape.D + pads.Front + pads.Back, H = shape.H + pads.Top + pads.Bottom, W = shape.W + pads.Left + pads.Right };

    /// <summary>
    /// <paramref name="input"/> padded along depth, height and width as <paramref name="mode"/> fills the border (the
    /// forward pass's reads), into <paramref name="padded"/> of shape <see cref="Padded"/>. The one padding-mode copy of
    /// the runtime: <see cref="PaddedInput.Pad"/> (the Winograd forward pass) uses it too.
    /// </summary>
    public static void Pad(ReadOnlySpan<float> input, TensorShape shape, Pads pads, PaddingMode mode, Span<float> padded)
    {
        TensorShape p = Padded(shape, pads);
        if (input.Length != shape.ElementCount || padded.Length != p.ElementCount)
        {
            throw new ArgumentException($"Input of {input.Length} elements for {shape}, or padded span of {padded.Length} for {p}, do not match.");
        }

        int d = shape.D, h = shape.H, w = shape.W;
        int planes = shape.N * shape.C, inPlane = d * h * w, padPlane = p.D * p.H * p.W;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> src = input.Slice(plane * inPlane, inPlane);
            Span<float> dst = padded.Slice(plane * padPlane, padPlane);
            for (int z = 0; z < p.D; z++)
            {
                int sz = PlaneStaging.SourceIndex(z - pads.Front, d, mode);
                for (int y = 0; y < p.H; y++)
                {
                    int sy = PlaneStaging.SourceIndex(y - pads.Top, h, mode);
                    Span<float> row = dst.Slice((z * p.H + y) * p.W, p.W);
                    if (sz < 0 || sy < 0)
                    {
                        row.Clear();
                        continue;
                    }

                    ReadOnlySpan<float> from = src.Slice((sz * h + sy) * w, w);
                    from.CopyTo(row.Slice(pads.Left));
                    for (int x = 0; x < pads.Left; x++)
                    {
                        int sx = PlaneStaging.SourceIndex(x - pads.Left, w, mode);
                        row[x] = sx < 0 ? 0 : from[sx];
                    }

                    for (int x = pads.Left + w; x < p.W; x++)
                    {
                        int sx = PlaneStaging.SourceIndex(x - pads.Left, w, mode);
                        row[x] = sx < 0 ? 0 : from[sx];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The input gradient from the gradient of the padded input: each padded element read some input element (by
    /// <paramref name="mode"/>; zeros read none), so its gradient is added there. Overwrites
    /// <paramref name="inputGradient"/>.
    /// </summary>
    public static void FoldPadded(ReadOnlySpan<float> padded, TensorShape inputShape, Pads pads, PaddingMode mode, Span<float> inputGradient)
    {
        TensorShape p = Padded(inputShape, pads);
        if (padded.Length != p.ElementCount || inputGradient.Length != inputShape.ElementCount)
        {
            throw new ArgumentException($"Padded gradient of {padded.Length} elements for padded shape {p}, or input gradient of {inputGradient.Length} for {inputShape}, do not match.");
        }

        int d = inputShape.D, h = inputShape.H, w = inputShape.W;
        int planes = inputShape.N * inputShape.C;
        int inPlane = d * h * w, padPlane = p.D * p.H * p.W;
        if (mode == PaddingMode.Zeros)
        {
            // Zero padding read nothing: the gradient is the interior, row by row.
            for (int plane = 0; plane < planes; plane++)
            {
                for (int z = 0; z < d; z++)
                {
                    for (int y = 0; y < h; y++)
                    {
                        padded.Slice(plane * padPlane + ((z + pads.Front) * p.H + y + pads.Top) * p.W + pads.Left, w)
                            .CopyTo(inputGradient.Slice(plane * inPlane + (z * h + y) * w, w));
                    }
                }
            }

            return;
        }

        inputGradient.Clear();
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> src = padded.Slice(plane * padPlane, padPlane);
            Span<float> dst = inputGradient.Slice(plane * inPlane, inPlane);
            for (int z = 0; z < p.D; z++)
            {
                int sz = PlaneStaging.SourceIndex(z - pads.Front, d, mode);
                if (sz < 0)
                {
                    continue;
                }

                for (int y = 0; y < p.H; y++)
                {
                    int sy = PlaneStaging.SourceIndex(y - pads.Top, h, mode);
                    if (sy < 0)
                    {
                        continue;
                    }

                    ReadOnlySpan<float> row = src.Slice((z * p.H + y) * p.W, p.W);
                    Span<float> target = dst.Slice((sz * h + sy) * w, w);

                    // The interior is one contiguous add; only the border columns go through the mode's index map.
                    for (int x = 0; x < w; x++)
                    {
                        target[x] += row[pads.Left + x];
                    }

                    for (int x = 0; x < pads.Left; x++)
                    {
                        int sx = PlaneStaging.SourceIndex(x - pads.Left, w, mode);
                        if (sx >= 0)
                        {
                            target[sx] += row[x];
                        }
                    }

                    for (int x = pads.Left + w; x < p.W; x++)
                    {
                        int sx = PlaneStaging.SourceIndex(x - pads.Left, w, mode);
                        if (sx >= 0)
                        {
                            target[sx] += row[x];
                        }
                    }
                }
            }
        }
    }
}
