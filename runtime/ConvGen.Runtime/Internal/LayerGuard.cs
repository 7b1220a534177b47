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
        if (input.Dimensions != g.Dimensions)
        {
            throw Fail(layer, "is a {0}-D layer and expects {1} data, but the input shape {2} is {3}.",
                g.Dimensions, LayoutName(g.Dimensions), input, input.Dimensions is >= 1 and <= 3 ? LayoutName(input.Dimensions) : "not a valid shape");
        }

        if (input.N <= 0 || input.C <= 0 || input.D <= 0 || input.H <= 0 || input.W <= 0)
        {
            throw Fail(layer, "input shape {0} must have positive sizes on every axis.", input);
        }

        if (input.C != g.InChannels)
        {
            throw Fail(layer, "expects {0} input channels but the input shape {1} has C = {2}.", g.InChannels, input, input.C);
        }

        CheckStaticSize(g, input, layer);
        Pads pads = ResolvePads(g, input, layer);
        int outD = Axis(g, layer, "depth", input.D, g.KernelD, pads.Front, pads.Back, g.StrideD, g.DilationD, g.OutputPadD, input);
        int outH = Axis(g, layer, "height", input.H, g.KernelH, pads.Top, pads.Bottom, g.StrideH, g.DilationH, g.OutputPadH, input);
        int outW = Axis(g, layer, g.Dimensions == 1 ? "length" : "width", input.W, g.KernelW, pads.Left, pads.Right, g.StrideW, g.DilationW, g.OutputPadW, input);
        TensorShape output = input with { C = g.OutChannels, D = outD, H = outH, W = outW };
        if (input.ElementCount > int.MaxValue || output.ElementCount > int.MaxValue)
        {
            throw Fail(layer, "input {0} or output {1} has more than 2^31 - 1 elements.", input, output);
        }

        // Kernels read a padded copy of one image (for transposed layers: with the stride's zeros inserted); it must
        // fit in one array too.
        long staged = StagedFloats(g, input, pads);
        if (staged > int.MaxValue)
        {
            throw Fail(layer, "input {0} with its padding needs {1} floats per image, more than 2^31 - 1.", input, staged);
        }

        return output;
    }

    /// <summary>Checks the shape and both spans' lengths; returns the output shape.</summary>
    public static TensorShape CheckForward(in ConvGeometry g, int inputLength, TensorShape inputShape, int outputLength, string layer)
    {
        TensorShape outputShape = OutputShape(g, inputShape, layer);
        NetworkGuard.CheckLengths(layer, inputLength, inputShape, outputLength, outputShape);
        return outputShape;
    }

    /// <summary>
    /// The pads of every axis for <paramref name="input"/>: the written ones, zeros for 'valid', or the 'same' split,
    /// which depends on the input size when the stride is above 1.
    /// </summary>
    public static Pads ResolvePads(in ConvGeometry g, TensorShape input, string layer)
    {
        switch (g.PaddingRule)
        {
            case PaddingRule.Valid:
                return default;
            case PaddingRule.Same:
            case PaddingRule.SameLower:
                (int front, int back) = g.Dimensions == 3 ? Same(g, layer, "depth", input.D, g.KernelD, g.StrideD, g.DilationD, g.OutputPadD) : (0, 0);
                (int top, int bottom) = g.Dimensions >= 2 ? Same(g, layer, "height", input.H, g.KernelH, g.StrideH, g.DilationH, g.OutputPadH) : (0, 0);
                (int left, int right) = Same(g, layer, g.Dimensions == 1 ? "length" : "width", input.W, g.KernelW, g.StrideW, g.DilationW, g.OutputPadW);
                return new Pads(front, back, top, bottom, left, right);
            default:
                return new Pads(g.PadFront, g.PadBack, g.PadTop, g.PadBottom, g.PadLeft, g.PadRight);
        }
    }

    private static (int Begin, int End) Same(in ConvGeometry g, string layer, string axis, int size, int kernel, int stride, int dilation, int outputPad)
    {
        bool transposed = g.Kind == ConvKind.Transposed;
        long total = ConvArithmetic.SameTotalPadding(size, kernel, stride, dilation, transposed, outputPad);
        if (total < 0)
        {
            throw Fail(layer, "cannot keep 'same' {0}: {1} * {2} = {3} outputs need a dilated kernel of at least {2}, but {4}*({5}-1)+1 + output padding {6} = {7}.",
                axis, size, stride, (long)size * stride, dilation, kernel, outputPad, ConvArithmetic.DilatedKernel(kernel, dilation) + outputPad);
        }

        (long begin, long end) = ConvArithmetic.SplitSamePadding(total, g.PaddingRule == PaddingRule.SameLower);
        return ((int)begin, (int)end);
    }

    private static void CheckStaticSize(in ConvGeometry g, TensorShape input, string layer)
    {
        bool wrong = g.StaticInW != 0 && input.W != g.StaticInW
            || g.Dimensions >= 2 && g.StaticInH != 0 && input.H != g.StaticInH
            || g.Dimensions == 3 && g.StaticInD != 0 && input.D != g.StaticInD;
        if (!wrong)
        {
            return;
        }

        switch (g.Dimensions)
        {
            case 1:
                throw Fail(layer, "was generated for input length {0} (InL) but the input shape {1} has length {2}.", g.StaticInW, input, input.W);
            case 3:
                throw Fail(layer, "was generated for input D x H x W = {0} x {1} x {2} (InD/InH/InW) but the input shape {3} is {4} x {5} x {6}.",
                    Any(g.StaticInD), Any(g.StaticInH), Any(g.StaticInW), input, input.D, input.H, input.W);
            default:
                throw Fail(layer, "was generated for input H x W = {0} x {1} (InH/InW) but the input shape {2} is {3} x {4}.",
                    Any(g.StaticInH), Any(g.StaticInW), input, input.H, input.W);
        }
    }

    private static string Any(int size) => size != 0 ? size.ToString(CultureInfo.InvariantCulture) : "any";

    private static int Axis(in ConvGeometry g, string layer, string axis, int size, int kernel, int padBegin, int padEnd, int stride,
        int dilation, int outputPad, TensorShape input)
    {
        if (g.PaddingMode == PaddingMode.Reflect && (padBegin >= size || padEnd >= size))
        {
            throw Fail(layer, "pads {0} {1} by reflection with {2} before and {3} after, which needs padding smaller than the input {0} (input shape {4}).",
                axis, size, padBegin, padEnd, input);
        }

        if (g.PaddingMode == PaddingMode.Circular && (padBegin > size || padEnd > size))
        {
            throw Fail(layer, "pads {0} {1} circularly with {2} before and {3} after, which needs padding no larger than the input {0} (input shape {4}).",
                axis, size, padBegin, padEnd, input);
        }

        if (g.Kind == ConvKind.Transposed)
        {
            long output = ConvArithmetic.TransposedOutputSize(size, kernel, padBegin, padEnd, stride, dilation, outputPad);
            if (output <= 0)
            {
                throw Fail(layer, "output {0} ({1}-1)*{2} - {3} - {4} + {5}*({6}-1) + {7} + 1 = {8} is not positive: the padding crops more than the full output (input shape {9}).",
                    axis, size, stride, padBegin, padEnd, dilation, kernel, outputPad, output, input);
            }

            return (int)output;
        }

        if (!ConvArithmetic.Fits(size, kernel, padBegin, padEnd, dilation))
        {
            string padded = padBegin == padEnd
                ? string.Format(CultureInfo.InvariantCulture, "2*{0}", padBegin)
                : string.Format(CultureInfo.InvariantCulture, "{0} + {1}", padBegin, padEnd);
            throw Fail(layer,
                "input {0} {1} is too small: the padded {0} {1} + {2} = {3} is smaller than the dilated kernel {4}*({5}-1)+1 = {6} (input shape {7}).",
                axis, size, padded, (long)size + padBegin + padEnd, dilation, kernel, ConvArithmetic.DilatedKernel(kernel, dilation), input);
        }

        return (int)ConvArithmetic.OutputSize(size, kernel, padBegin, padEnd, stride, dilation);
    }

    private static long StagedFloats(in ConvGeometry g, TensorShape input, Pads p)
    {
        if (g.Kind == ConvKind.Transposed)
        {
            // A bound on the transposed kernel's buffers: the input as if zero-inserted, bordered by the dilated kernel.
            long d = ((long)input.D - 1) * g.StrideD + 2 * ConvArithmetic.DilatedKernel(g.KernelD, g.DilationD);
            long h = ((long)input.H - 1) * g.StrideH + 2 * ConvArithmetic.DilatedKernel(g.KernelH, g.DilationH);
            long w = ((long)input.W - 1) * g.StrideW + 2 * ConvArithmetic.DilatedKernel(g.KernelW, g.DilationW) + 16;
            return input.C * d * h * w;
        }

        return input.C * ((long)input.D + p.Front + p.Back) * ((long)input.H + p.Top + p.Bottom)
            * ((long)input.W + p.Left + p.Right + g.StrideW + 16);
    }

    private static string LayoutName(int dimensions) => dimensions switch { 1 => "NCL", 3 => "NCDHW", _ => "NCHW" };

    private static ArgumentException Fail(string layer, string format, params object[] args)
        => new("Layer '" + layer + "' " + string.Format(CultureInfo.InvariantCulture, format, args));
}

/// <summary>The padding of every axis of one layer for one input size, begin and end.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct Pads(int Front, int Back, int Top, int Bottom, int Left, int Right);
