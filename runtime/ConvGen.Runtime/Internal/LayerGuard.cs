using System;
using System.ComponentModel;
using System.Globalization;

namespace ConvGen.Internal;

/// <summary>
/// Shape and length checks shared by generated and general layers, so that every layer rejects bad input with the
/// same message: which layer, what was expected, what was given. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerGuard
{
    /// <summary>Computes the output shape of <paramref name="g"/> for <paramref name="input"/> or throws <see cref="ArgumentException"/>.</summary>
    public static TensorShape OutputShape(in ConvGeometry g, TensorShape input, string layer)
    {
        if (input.N <= 0 || input.C <= 0 || input.H <= 0 || input.W <= 0)
        {
            throw Fail(layer, "input shape {0} must have positive N, C, H and W.", input);
        }

        if (input.C != g.InChannels)
        {
            throw Fail(layer, "expects {0} input channels but the input shape {1} has C = {2}.", g.InChannels, input, input.C);
        }

        if (g.StaticInH != 0 && input.H != g.StaticInH || g.StaticInW != 0 && input.W != g.StaticInW)
        {
            throw Fail(layer, "was generated for input H x W = {0} x {1} (InH/InW) but the input shape {2} is {3} x {4}.",
                g.StaticInH != 0 ? g.StaticInH.ToString(CultureInfo.InvariantCulture) : "any",
                g.StaticInW != 0 ? g.StaticInW.ToString(CultureInfo.InvariantCulture) : "any",
                input, input.H, input.W);
        }

        int outH = Axis(layer, "height", input.H, g.KernelH, g.PadH, g.StrideH, g.DilationH, input);
        int outW = Axis(layer, "width", input.W, g.KernelW, g.PadW, g.StrideW, g.DilationW, input);
        var output = new TensorShape(input.N, g.OutChannels, outH, outW);
        if (input.ElementCount > int.MaxValue || output.ElementCount > int.MaxValue)
        {
            throw Fail(layer, "input {0} or output {1} has more than 2^31 - 1 elements.", input, output);
        }

        // Kernels read a zero-padded copy of one image; it must fit in one array too.
        long staged = (long)input.C * (input.H + 2L * g.PadH) * (input.W + 2L * g.PadW + g.StrideW + 16);
        if (staged > int.MaxValue)
        {
            throw Fail(layer, "input {0} padded by {1} x {2} needs {3} floats per image, more than 2^31 - 1.", input, g.PadH, g.PadW, staged);
        }

        return output;
    }

    /// <summary>Checks the shape and both spans' lengths; returns the output shape.</summary>
    public static TensorShape CheckForward(in ConvGeometry g, int inputLength, TensorShape inputShape, int outputLength, string layer)
    {
        TensorShape outputShape = OutputShape(g, inputShape, layer);
        if (inputLength != inputShape.ElementCount)
        {
            throw Fail(layer, "input span has {0} elements but the input shape {1} needs exactly {2}.",
                inputLength, inputShape, inputShape.ElementCount);
        }

        if (outputLength != outputShape.ElementCount)
        {
            throw Fail(layer, "output span has {0} elements but the output shape {1} (for input {2}) needs exactly {3}.",
                outputLength, outputShape, inputShape, outputShape.ElementCount);
        }

        return outputShape;
    }

    private static int Axis(string layer, string axis, int size, int kernel, int pad, int stride, int dilation, TensorShape input)
    {
        if (!ConvArithmetic.Fits(size, kernel, pad, pad, dilation))
        {
            throw Fail(layer,
                "input {0} {1} is too small: the padded {0} {1} + 2*{2} = {3} is smaller than the dilated kernel {4}*({5}-1)+1 = {6} (input shape {7}).",
                axis, size, pad, (long)size + 2L * pad, dilation, kernel, ConvArithmetic.DilatedKernel(kernel, dilation), input);
        }

        return (int)ConvArithmetic.OutputSize(size, kernel, pad, pad, stride, dilation);
    }

    private static ArgumentException Fail(string layer, string format, params object[] args)
        => new("Layer '" + layer + "' " + string.Format(CultureInfo.InvariantCulture, format, args));
}
