// This file is compiled into both the runtime and the source generator (linked), so the numbers the generator
// bakes into constants and prints in diagnostics are the numbers the runtime checks against.
#if CONVGEN_GENERATOR
namespace ConvGen.Generator.Shared;
#else
namespace ConvGen;
#endif

/// <summary>Shape arithmetic of convolution layers and stacks.</summary>
#if CONVGEN_GENERATOR
internal
#else
public
#endif
static class ConvArithmetic
{
    /// <summary>Extent of a kernel of size <paramref name="kernel"/> with dilation <paramref name="dilation"/>: D·(K−1) + 1.</summary>
    public static long DilatedKernel(int kernel, int dilation) => (long)dilation * (kernel - 1) + 1;

    /// <summary>
    /// Output size along one axis: floor((in + padBegin + padEnd − D·(K−1) − 1) / S) + 1. The division floors, so a
    /// window that does not fit gives 0 or a negative size, which callers report instead of clamping.
    /// </summary>
    public static long OutputSize(int input, int kernel, int padBegin, int padEnd, int stride, int dilation)
    {
        long span = (long)input + padBegin + padEnd - DilatedKernel(kernel, dilation);
        return FloorDiv(span, stride) + 1;
    }

    /// <summary>True when the padded input is at least as large as the dilated kernel, i.e. at least one window fits.</summary>
    public static bool Fits(int input, int kernel, int padBegin, int padEnd, int dilation)
        => (long)input + padBegin + padEnd >= DilatedKernel(kernel, dilation);

    /// <summary>
    /// Input rows (or columns) at the end that no window reads because the stride steps past them:
    /// the remainder (in + padBegin + padEnd − D·(K−1) − 1) mod S, less the padding at the end. Zero when the
    /// stride divides evenly or when the skipped positions are all padding.
    /// </summary>
    public static long UnreadInputs(int input, int kernel, int padBegin, int padEnd, int stride, int dilation)
    {
        long span = (long)input + padBegin + padEnd - DilatedKernel(kernel, dilation);
        if (span < 0 || stride <= 0)
        {
            return 0;
        }

        long skipped = span % stride;
        long unread = skipped - padEnd;
        return unread > 0 ? unread : 0;
    }

    /// <summary>Parameters of a layer: Cout·(Cin/G)·Kh·Kw weights, plus Cout biases when present.</summary>
    public static long ParameterCount(int inChannels, int outChannels, int groups, int kernelH, int kernelW, bool bias)
        => WeightCount(inChannels, outChannels, groups, kernelH, kernelW) + (bias ? outChannels : 0);

    /// <summary>Weights of a layer: Cout·(Cin/G)·Kh·Kw.</summary>
    public static long WeightCount(int inChannels, int outChannels, int groups, int kernelH, int kernelW)
        => (long)outChannels * (inChannels / groups) * kernelH * kernelW;

    /// <summary>Receptive field of one layer along one axis: 1 + (K − 1)·D.</summary>
    public static long ReceptiveField(int kernel, int dilation) => DilatedKernel(kernel, dilation);

    /// <summary>
    /// Receptive field of a stack along one axis: 1 + Σ (K_l − 1)·D_l·Π_{i&lt;l} S_i. Layers are given first to last.
    /// </summary>
    public static long ReceptiveField(int[] kernels, int[] dilations, int[] strides)
    {
        long field = 1;
        long jump = 1;
        for (int l = 0; l < kernels.Length; l++)
        {
            field += (long)(kernels[l] - 1) * dilations[l] * jump;
            jump *= strides[l];
        }

        return field;
    }

    /// <summary>
    /// Output size of a transposed convolution along one axis: (in − 1)·S − padBegin − padEnd + D·(K − 1) + outputPad + 1.
    /// </summary>
    public static long TransposedOutputSize(int input, int kernel, int padBegin, int padEnd, int stride, int dilation, int outputPad)
        => ((long)input - 1) * stride - padBegin - padEnd + DilatedKernel(kernel, dilation) + outputPad;

    /// <summary>
    /// Total 'same' padding of one axis: what makes the output ceil(in / S) for a convolution, or in·S for a transposed
    /// one. Never negative for a convolution (a kernel smaller than the stride skips inputs instead); negative for a
    /// transposed layer whose dilated kernel plus output padding is shorter than its stride, which cannot reach in·S.
    /// </summary>
    public static long SameTotalPadding(int input, int kernel, int stride, int dilation, bool transposed, int outputPad = 0)
    {
        if (transposed)
        {
            return ((long)input - 1) * stride + DilatedKernel(kernel, dilation) + outputPad - (long)input * stride;
        }

        long output = ((long)input + stride - 1) / stride;
        long total = (output - 1) * stride + DilatedKernel(kernel, dilation) - input;
        return total > 0 ? total : 0;
    }

    /// <summary>
    /// Splits a 'same' total padding into begin and end: an odd pixel goes at the end (SAME_UPPER, TensorFlow, Keras)
    /// unless <paramref name="lower"/>. Transposed layers split the same way (the ONNX reference's ConvTranspose
    /// SAME_UPPER crops the last row of the full output, not the first).
    /// </summary>
    public static (long Begin, long End) SplitSamePadding(long total, bool lower)
    {
        long small = total / 2, large = total - small;
        return lower ? (large, small) : (small, large);
    }

    /// <summary>Floor division for a positive divisor (C# division truncates toward zero).</summary>
    public static long FloorDiv(long numerator, long divisor)
    {
        long q = numerator / divisor;
        return (numerator % divisor != 0 && numerator < 0) ? q - 1 : q;
    }
}
