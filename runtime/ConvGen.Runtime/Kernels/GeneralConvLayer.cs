using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// An <see cref="IConvLayer"/> of any kind and dimension over the general (run-time geometry) kernels; made by the
/// factories (<see cref="Conv2d"/>, <see cref="Conv1d"/>, <see cref="Conv3d"/>, <see cref="ConvTranspose"/>,
/// <see cref="SeparableConv2d"/>).
/// </summary>
internal sealed class GeneralConvLayer : IConvLayer
{
    [ThreadStatic]
    private static float[]? t_intermediate;

    private readonly ConvGeometry _geometry;
    private readonly string _name;
    private readonly float[] _weights;
    private readonly float[] _bias;

    /// <summary>Transposed layers: the weights rearranged for the phase kernel, refreshed every Forward.</summary>
    private readonly float[] _converted;

    public GeneralConvLayer(ConvGeometry geometry, string name)
    {
        geometry.Validate();
        _geometry = geometry;
        _name = name;
        _weights = new float[geometry.WeightCount];
        _bias = geometry.HasBias ? new float[geometry.OutChannels] : Array.Empty<float>();
        _converted = geometry.Kind == ConvKind.Transposed ? new float[geometry.WeightCount] : Array.Empty<float>();
    }

    public int InChannels => _geometry.InChannels;

    public int OutChannels => _geometry.OutChannels;

    public ConvGeometry Geometry => _geometry;

    public Span<float> Weights => _weights;

    public Span<float> Bias => _bias;

    /// <summary>Accepted for the interface; the general kernel runs on the calling thread.</summary>
    public int Threads { get; set; }

    public TensorShape GetOutputShape(TensorShape input) => LayerGuard.OutputShape(_geometry, input, _name);

    public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
    {
        TensorShape outputShape = LayerGuard.CheckForward(_geometry, input.Length, inputShape, output.Length, _name);
        switch (_geometry.Kind)
        {
            case ConvKind.Transposed:
                // Converting costs one pass over the weights per call, and honours writes through Weights at once.
                GeneralConvTransposeKernel.ConvertWeights(_geometry, _weights, _converted);
                GeneralConvTransposeKernel.Run(_geometry, input, inputShape, _converted, _bias, output, outputShape);
                break;
            case ConvKind.Separable:
                RunSeparable(_geometry, input, inputShape, _weights, _bias, output, outputShape);
                break;
            default:
                GeneralConvKernel.Run(_geometry, input, inputShape, _weights, _bias, output, outputShape);
                break;
        }
    }

    /// <summary>
    /// Depthwise then pointwise, a band of output rows at a time: the depthwise half writes the band's rows of every
    /// intermediate channel into a small per-thread buffer (about 64 KB, so it stays in L2), and the pointwise half
    /// reads them from there. The whole intermediate tensor is never held.
    /// </summary>
    internal static void RunSeparable(in ConvGeometry g, ReadOnlySpan<float> input, TensorShape s, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, TensorShape o)
    {
        (ConvGeometry depthwise, _) = SeparableHalves(g);
        TensorShape image = s with { N = 1 };
        TensorShape mid = o with { N = 1, C = g.DepthwiseChannels };
        GeneralConvKernel.Input dw = GeneralConvKernel.Plan(depthwise, image, mid);
        int channels = g.DepthwiseChannels, outW = o.W, outH = o.H;
        int rows = Math.Clamp(16384 / Math.Max(1, channels * outW), 1, outH);
        int bandLength = channels * rows * outW;
        float[] buffer = t_intermediate is { } b && b.Length >= bandLength ? b : (t_intermediate = new float[bandLength]);

        ReadOnlySpan<float> dwWeights = weights.Slice(0, g.DepthwiseWeightCount), pwWeights = weights.Slice(g.DepthwiseWeightCount);
        int inImage = (int)image.ElementCount, outImage = (int)(o.C * o.SpatialSize);
        for (int n = 0; n < s.N; n++)
        {
            ref float x0 = ref dw.Prepare(depthwise, input.Slice(n * inImage, inImage), image);
            Span<float> outImageSpan = output.Slice(n * outImage, outImage);
            for (int r0 = 0; r0 < outH; r0 += rows)
            {
                int count = Math.Min(rows, outH - r0);
                Span<float> band = buffer.AsSpan(0, channels * count * outW);
                GeneralConvKernel.Convolve(dw.Layout with { OutH = count, OutChannelStride = (nint)count * outW },
                    ref Unsafe.Add(ref x0, r0 * dw.Layout.OyStep), dwWeights, ReadOnlySpan<float>.Empty, band);
                // The pointwise half reads the band as [channels][count·outW] and writes rows r0.. of the output planes.
                PointwiseKernel.Run(band, channels, count * outW, pwWeights, bias, g, outImageSpan.Slice(r0 * outW), outH * outW);
            }
        }
    }

    /// <summary>The depthwise (groups = Cin, Cin·M outputs, no bias) and pointwise (1×1, bias, activation) layers of a separable one.</summary>
    internal static (ConvGeometry Depthwise, ConvGeometry Pointwise) SeparableHalves(in ConvGeometry g)
    {
        ConvGeometry depthwise = g with
        {
            Kind = ConvKind.Convolution,
            OutChannels = g.DepthwiseChannels,
            Groups = g.InChannels,
            DepthMultiplier = 1,
            HasBias = false,
            Activation = Activation.None,
        };
        ConvGeometry pointwise = new ConvGeometry(g.DepthwiseChannels, g.OutChannels, 1, 1, HasBias: g.HasBias) with
        {
            Dimensions = g.Dimensions,
            KernelH = 1,
            Activation = g.Activation,
            NegativeSlope = g.NegativeSlope,
        };
        return (depthwise, pointwise);
    }
}
