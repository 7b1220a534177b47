using System;
using System.Collections.Generic;
using ConvGen.Internal;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// The gradients of a layer of any kind, in double precision: given the input, the parameters and the gradient of
    /// a loss with respect to the layer's output (after its activation), writes the gradients with respect to the
    /// input, the weights (same layout) and the bias (empty when the layer has none). Every span is overwritten, not
    /// accumulated. The rule is the chain rule over the forward pass's own multiply-adds: each
    /// y[o] += x[i]·w[k] sends dz[o]·w[k] to dx[i] and dz[o]·x[i] to dw[k], where dz is the output gradient times the
    /// activation's derivative at the pre-activation sum. Padding modes send a padded position's gradient to the
    /// input element it copies; zeros send it nowhere. A separable layer runs this through its pointwise, then its
    /// depthwise half. Meant as the slow, obviously correct baseline that specialized backward kernels are checked
    /// against, itself checked against central differences.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry, a shape or a span length is wrong.</exception>
    public static void Backward(ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient)
    {
        geometry.Validate();
        CheckEnums(geometry);
        TensorShape outputShape = LayerGuard.CheckForward(geometry, input.Length, inputShape, outputGradient.Length, LayerName);
        CheckLength(inputGradient.Length, input.Length, nameof(inputGradient));
        CheckLength(weights.Length, geometry.WeightCount, nameof(weights));
        CheckLength(weightGradient.Length, geometry.WeightCount, nameof(weightGradient));
        CheckLength(bias.Length, geometry.HasBias ? geometry.OutChannels : 0, nameof(bias));
        CheckLength(biasGradient.Length, bias.Length, nameof(biasGradient));

        Grid grid = Grid.Of(geometry, inputShape, outputShape, LayerGuard.ResolvePads(geometry, inputShape, LayerName));
        double[] x = Widen(input), w = Widen(weights), b = Widen(bias), dy = Widen(outputGradient);
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[b.Length];
        if (geometry.Kind == ConvKind.Separable)
        {
            // depthwise (groups = Cin, Cin·M outputs, no bias, no activation), then a 1x1 with the bias and activation.
            ConvGeometry depthwise = DepthwiseHalf(geometry);
            var mid = new Connections(depthwise, grid, inputShape.N);
            double[] h = mid.Forward(x, w, Array.Empty<double>(), depthwise);
            ConvGeometry pointwise = PointwiseHalf(geometry);
            Grid point = PointGrid(grid);
            var last = new Connections(pointwise, point, inputShape.N);
            double[] pw = w.AsSpan(geometry.DepthwiseWeightCount).ToArray();
            var dh = new double[h.Length];
            var dpw = new double[pw.Length];
            last.Backward(h, pw, b, dy, pointwise, dh, dpw, db);
            var ddw = new double[geometry.DepthwiseWeightCount];
            mid.Backward(x, w.AsSpan(0, geometry.DepthwiseWeightCount).ToArray(), Array.Empty<double>(), dh, depthwise, dx, ddw, Array.Empty<double>());
            ddw.CopyTo(dw, 0);
            dpw.CopyTo(dw, geometry.DepthwiseWeightCount);
        }
        else
        {
            new Connections(geometry, grid, inputShape.N).Backward(x, w, b, dy, geometry, dx, dw, db);
        }

        Narrow(dx, inputGradient);
        Narrow(dw, weightGradient);
        Narrow(db, biasGradient);
    }

    /// <summary>
    /// The forward pass in double precision through the same connections <see cref="Backward"/> differentiates,
    /// without rounding to float: what central differences need. Agrees with <see cref="Run"/> up to that rounding.
    /// </summary>
    public static double[] ForwardDouble(ConvGeometry geometry, ReadOnlySpan<double> input, TensorShape inputShape,
        ReadOnlySpan<double> weights, ReadOnlySpan<double> bias)
    {
        geometry.Validate();
        CheckEnums(geometry);
        TensorShape outputShape = LayerGuard.OutputShape(geometry, inputShape, LayerName);
        CheckLength(input.Length, (int)inputShape.ElementCount, nameof(input));
        CheckLength(weights.Length, geometry.WeightCount, nameof(weights));
        CheckLength(bias.Length, geometry.HasBias ? geometry.OutChannels : 0, nameof(bias));
        Grid grid = Grid.Of(geometry, inputShape, outputShape, LayerGuard.ResolvePads(geometry, inputShape, LayerName));
        if (geometry.Kind != ConvKind.Separable)
        {
            return new Connections(geometry, grid, inputShape.N).Forward(input.ToArray(), weights.ToArray(), bias.ToArray(), geometry);
        }

        ConvGeometry depthwise = DepthwiseHalf(geometry);
        double[] h = new Connections(depthwise, grid, inputShape.N)
            .Forward(input.ToArray(), weights.Slice(0, geometry.DepthwiseWeightCount).ToArray(), Array.Empty<double>(), depthwise);
        return new Connections(PointwiseHalf(geometry), PointGrid(grid), inputShape.N)
            .Forward(h, weights.Slice(geometry.DepthwiseWeightCount).ToArray(), bias.ToArray(), PointwiseHalf(geometry));
    }

    private static ConvGeometry DepthwiseHalf(in ConvGeometry g) => g with
    {
        Kind = ConvKind.Convolution, OutChannels = g.DepthwiseChannels, Groups = g.InChannels, DepthMultiplier = 1,
        HasBias = false, Activation = Activation.None,
    };

    private static ConvGeometry PointwiseHalf(in ConvGeometry g) => g with
    {
        Kind = ConvKind.Convolution, InChannels = g.DepthwiseChannels, Groups = 1, DepthMultiplier = 1,
        KernelD = 1, KernelH = 1, KernelW = 1, StrideD = 1, StrideH = 1, StrideW = 1, DilationD = 1, DilationH = 1, DilationW = 1,
        PaddingRule = PaddingRule.Explicit, PaddingMode = PaddingMode.Zeros, PadD = 0, PadH = 0, PadW = 0,
    };

    private static Grid PointGrid(Grid g) => new(
        new Axis(g.D.Out, g.D.Out, 1, 1, 1, 0), new Axis(g.H.Out, g.H.Out, 1, 1, 1, 0), new Axis(g.W.Out, g.W.Out, 1, 1, 1, 0));

    /// <summary>d activation / d z at the pre-activation sum z (PyTorch's choice at the kinks: 0 at z = 0 for ReLU).</summary>
    private static double Derivative(Activation kind, float slope, double z)
    {
        switch (kind)
        {
            case Activation.None: return 1;
            case Activation.ReLU: return z > 0 ? 1 : 0;
            case Activation.ReLU6: return z > 0 && z < 6 ? 1 : 0;
            case Activation.LeakyReLU: return z > 0 ? 1 : slope;
            case Activation.Sigmoid: { double s = Sigmoid(z); return s * (1 - s); }
            case Activation.Tanh: { double t = Math.Tanh(z); return 1 - t * t; }
            case Activation.SiLU: { double s = Sigmoid(z); return s * (1 + z * (1 - s)); }
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an Activation.");
        }
    }

    /// <summary>
    /// Every multiply-add of a convolution or transposed convolution over a batch, as (input, weight, output) index
    /// triples: the forward pass sums them, the backward pass sends gradients back along them.
    /// </summary>
    private sealed class Connections
    {
        private readonly List<(int X, int W, int Y)> _links = new();
        private readonly int _outputs;
        private readonly int _perChannel;

        public Connections(in ConvGeometry g, Grid grid, int batch)
        {
            Axis ad = grid.D, ah = grid.H, aw = grid.W;
            bool transposed = g.Kind == ConvKind.Transposed;
            int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
            int inSpatial = grid.InSpatial, outSpatial = grid.OutSpatial;
            _perChannel = outSpatial;
            _outputs = batch * g.OutChannels * outSpatial;
            for (int n = 0; n < batch; n++)
            {
                for (int oc = 0; oc < g.OutChannels; oc++)
                {
                    int group = oc / coutG;
                    for (int ic = 0; ic < cinG; ic++)
                    {
                        int c = group * cinG + ic;
                        for (int kd = 0; kd < ad.Kernel; kd++)
                        for (int kh = 0; kh < ah.Kernel; kh++)
                        for (int kw = 0; kw < aw.Kernel; kw++)
                        {
                            int tap = (kd * ah.Kernel + kh) * aw.Kernel + kw;
                            int weight = transposed
                                ? ((c * coutG + oc % coutG) * ad.Kernel * ah.Kernel * aw.Kernel) + tap
                                : ((oc * cinG + ic) * ad.Kernel * ah.Kernel * aw.Kernel) + tap;
                            if (transposed)
                            {
                                // y[i·S − P + k·D] += x[i]·w: every input position sends to at most one output per tap.
                                for (int id = 0; id < ad.In; id++)
                                for (int ih = 0; ih < ah.In; ih++)
                                for (int iw = 0; iw < aw.In; iw++)
                                {
                                    int od = id * ad.Stride - ad.PadBegin + kd * ad.Dilation;
                                    int oh = ih * ah.Stride - ah.PadBegin + kh * ah.Dilation;
                                    int ow = iw * aw.Stride - aw.PadBegin + kw * aw.Dilation;
                                    if (od < 0 || od >= ad.Out || oh < 0 || oh >= ah.Out || ow < 0 || ow >= aw.Out)
                                    {
                                        continue;
                                    }

                                    _links.Add(((n * g.InChannels + c) * inSpatial + (id * ah.In + ih) * aw.In + iw, weight,
                                        (n * g.OutChannels + oc) * outSpatial + (od * ah.Out + oh) * aw.Out + ow));
                                }
                            }
                            else
                            {
                                // y[o] += x[mode(o·S − P + k·D)]·w: a padded position reads the element its mode copies.
                                for (int od = 0; od < ad.Out; od++)
                                for (int oh = 0; oh < ah.Out; oh++)
                                for (int ow = 0; ow < aw.Out; ow++)
                                {
                                    int id = Source(od * ad.Stride - ad.PadBegin + kd * ad.Dilation, ad.In, g.PaddingMode);
                                    int ih = Source(oh * ah.Stride - ah.PadBegin + kh * ah.Dilation, ah.In, g.PaddingMode);
                                    int iw = Source(ow * aw.Stride - aw.PadBegin + kw * aw.Dilation, aw.In, g.PaddingMode);
                                    if (id < 0 || ih < 0 || iw < 0)
                                    {
                                        continue;
                                    }

                                    _links.Add(((n * g.InChannels + c) * inSpatial + (id * ah.In + ih) * aw.In + iw, weight,
                                        (n * g.OutChannels + oc) * outSpatial + (od * ah.Out + oh) * aw.Out + ow));
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Pre-activation sums: bias plus every link's product.</summary>
        private double[] Sums(double[] x, double[] w, double[] b, in ConvGeometry g)
        {
            var z = new double[_outputs];
            if (b.Length > 0)
            {
                for (int o = 0; o < _outputs; o++)
                {
                    z[o] = b[o / _perChannel % g.OutChannels];
                }
            }

            foreach ((int xi, int wi, int yi) in _links)
            {
                z[yi] += x[xi] * w[wi];
            }

            return z;
        }

        public double[] Forward(double[] x, double[] w, double[] b, in ConvGeometry g)
        {
            double[] z = Sums(x, w, b, g);
            for (int o = 0; o < z.Length; o++)
            {
                z[o] = ActivateDouble(g.Activation, g.NegativeSlope, z[o]);
            }

            return z;
        }

        public void Backward(double[] x, double[] w, double[] b, double[] dy, in ConvGeometry g, double[] dx, double[] dw, double[] db)
        {
            double[] z = Sums(x, w, b, g);
            var dz = new double[_outputs];
            for (int o = 0; o < _outputs; o++)
            {
                dz[o] = dy[o] * Derivative(g.Activation, g.NegativeSlope, z[o]);
            }

            foreach ((int xi, int wi, int yi) in _links)
            {
                dx[xi] += dz[yi] * w[wi];
                dw[wi] += dz[yi] * x[xi];
            }

            int biased = db.Length == 0 ? 0 : _outputs;
            for (int o = 0; o < biased; o++)
            {
                db[o / _perChannel % g.OutChannels] += dz[o];
            }
        }
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = values[i];
        }

        return wide;
    }

    private static void Narrow(double[] values, Span<float> destination)
    {
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = (float)values[i];
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} elements but the layer needs {expected}.", name);
        }
    }
}
