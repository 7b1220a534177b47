using System;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// The textbook convolution family in plain loops with double accumulation: the oracle every kernel is tested against.
/// Slow on purpose; it shares nothing with the kernels but the shape check and the resolution of the pads
/// (<see cref="LayerGuard"/>), so a kernel that agrees with it agrees with the definition, not with a shared helper.
/// </summary>
public static partial class ConvReference
{
    private const string LayerName = nameof(ConvReference);

    /// <summary>
    /// Cross-correlation of NCHW <paramref name="input"/> with OIHW <paramref name="weights"/> plus one bias per filter
    /// (pass an empty <paramref name="bias"/> for none), written to NCHW <paramref name="output"/>. The same as
    /// <see cref="Run"/>, kept for the callers written before the other kinds and dimensions existed.
    /// </summary>
    public static void Conv2d(ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
        => Run(geometry, input, inputShape, weights, bias, output);

    /// <summary>
    /// Runs the layer <paramref name="geometry"/> describes, of any <see cref="ConvKind"/> and 1, 2 or 3 dimensions, on
    /// <paramref name="input"/> (NCL, NCHW or NCDHW) and writes <paramref name="output"/> in the same layout.
    /// </summary>
    /// <param name="geometry">The layer.</param>
    /// <param name="input">The input batch.</param>
    /// <param name="inputShape">Its shape; its <see cref="TensorShape.Dimensions"/> must match the geometry's.</param>
    /// <param name="weights">
    /// [Cout, Cin/G, k...] for a convolution, [Cin, Cout/G, k...] for a transposed layer (PyTorch's layouts), and for a
    /// separable layer the depthwise [Cin·M, 1, k...] followed by the pointwise [Cout, Cin·M].
    /// </param>
    /// <param name="bias">One value per output channel, or empty for none.</param>
    /// <param name="output">Exactly as many elements as the output shape has.</param>
    /// <exception cref="ArgumentException">The geometry, a shape or a span length is wrong.</exception>
    public static void Run(ConvGeometry geometry, ReadOnlySpan<float> input, TensorShape inputShape,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> output)
    {
        geometry.Validate();
        CheckEnums(geometry);
        TensorShape outputShape = LayerGuard.CheckForward(geometry, input.Length, inputShape, output.Length, LayerName);
        if (weights.Length != geometry.WeightCount)
        {
            throw new ArgumentException($"weights has {weights.Length} elements but {geometry} needs {geometry.WeightCount}.", nameof(weights));
        }

        if (bias.Length != 0 && bias.Length != geometry.OutChannels)
        {
            throw new ArgumentException($"bias has {bias.Length} elements but {geometry} needs 0 or {geometry.OutChannels}.", nameof(bias));
        }

        Grid grid = Grid.Of(geometry, inputShape, outputShape, LayerGuard.ResolvePads(geometry, inputShape, LayerName));
        switch (geometry.Kind)
        {
            case ConvKind.Transposed:
                RunTransposed(geometry, grid, input, inputShape, weights, bias, output);
                break;
            case ConvKind.Separable:
                RunSeparable(geometry, grid, input, inputShape, weights, bias, output);
                break;
            default:
                RunConvolution(geometry, grid, input, inputShape, weights, bias, output);
                break;
        }
    }

    // Validate() checks sizes only; an out-of-range enum would otherwise fall into a switch's default arm silently.
    private static void CheckEnums(in ConvGeometry g)
    {
        if (g.PaddingRule is < PaddingRule.Explicit or > PaddingRule.Valid)
        {
            throw new ArgumentOutOfRangeException(nameof(g.PaddingRule), g.PaddingRule, "Not a PaddingRule.");
        }

        if (g.PaddingMode is < PaddingMode.Zeros or > PaddingMode.Circular)
        {
            throw new ArgumentOutOfRangeException(nameof(g.PaddingMode), g.PaddingMode, "Not a PaddingMode.");
        }

        if (g.Activation is < Activation.None or > Activation.SiLU)
        {
            throw new ArgumentOutOfRangeException(nameof(g.Activation), g.Activation, "Not an Activation.");
        }
    }

    /// <summary>Writes bias + sum, through the activation, for every output of one image.</summary>
    private static void Finish(in ConvGeometry g, double[] sums, ReadOnlySpan<float> bias, int spatial, Span<float> imageOutput)
    {
        for (int oc = 0; oc < g.OutChannels; oc++)
        {
            double b = bias.Length == 0 ? 0.0 : bias[oc];
            for (int p = 0; p < spatial; p++)
            {
                int at = oc * spatial + p;
                imageOutput[at] = Activate(g.Activation, g.NegativeSlope, sums[at] + b);
            }
        }
    }

    /// <summary>
    /// One axis of a layer for one input: input and output sizes, kernel, stride, dilation and the resolved padding
    /// before the first element (the padding after it only shows in the output size, which LayerGuard computed).
    /// Axes a layer does not have are size 1, kernel 1, stride 1, no padding, so the same loops cover 1-D to 3-D.
    /// </summary>
    private readonly record struct Axis(int In, int Out, int Kernel, int Stride, int Dilation, int PadBegin);

    private readonly record struct Grid(Axis D, Axis H, Axis W)
    {
        public static Grid Of(in ConvGeometry g, TensorShape input, TensorShape output, Pads p) => new(
            new Axis(input.D, output.D, g.KernelD, g.StrideD, g.DilationD, p.Front),
            new Axis(input.H, output.H, g.KernelH, g.StrideH, g.DilationH, p.Top),
            new Axis(input.W, output.W, g.KernelW, g.StrideW, g.DilationW, p.Left));

        public int InSpatial => D.In * H.In * W.In;

        public int OutSpatial => D.Out * H.Out * W.Out;

        public int Taps => D.Kernel * H.Kernel * W.Kernel;
    }
}
