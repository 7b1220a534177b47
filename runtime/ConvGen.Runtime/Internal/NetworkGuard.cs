using System;
using System.ComponentModel;
using System.Globalization;

namespace ConvGen.Internal;

/// <summary>
/// Checks shared by the non-convolution layers (pooling, linear, flatten) and generated networks, with
/// <see cref="LayerGuard"/>'s message style: which layer or network, what was expected, what was given. Not meant to be
/// called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Throws unless every axis of <paramref name="input"/> is positive and its element count fits an int.</summary>
    public static void CheckShape(TensorShape input, string layer)
    {
        if (input.N <= 0 || input.C <= 0 || input.D <= 0 || input.H <= 0 || input.W <= 0)
        {
            throw Fail("Layer", layer, "input shape {0} must have positive sizes on every axis.", input);
        }

        if (input.ElementCount > int.MaxValue)
        {
            throw Fail("Layer", layer, "input shape {0} has {1} elements, more than a span can hold.", input, input.ElementCount);
        }
    }

    /// <summary>Throws unless both spans hold exactly their shapes' element counts.</summary>
    public static void CheckLengths(string layer, int inputLength, TensorShape inputShape, int outputLength, TensorShape outputShape)
    {
        if (inputLength != inputShape.ElementCount)
        {
            throw Fail("Layer", layer, "input span has {0} elements but the input shape {1} needs exactly {2}.",
                inputLength, inputShape, inputShape.ElementCount);
        }

        if (outputLength != outputShape.ElementCount)
        {
            throw Fail("Layer", layer, "output span has {0} elements but the output shape {1} (for input {2}) needs exactly {3}.",
                outputLength, outputShape, inputShape, outputShape.ElementCount);
        }
    }

    /// <summary>
    /// The checks of a layer's backward pass, after <see cref="CheckLengths"/> has checked input and output: the output
    /// gradient has the output's length, and the input gradient is empty (not wanted) or has the input's length.
    /// </summary>
    public static void CheckGradients(string layer, TensorShape inputShape, TensorShape outputShape, int outputGradientLength, int inputGradientLength)
    {
        if (outputGradientLength != outputShape.ElementCount)
        {
            throw Fail("Layer", layer, "output gradient span has {0} elements but the output shape {1} needs exactly {2}.",
                outputGradientLength, outputShape, outputShape.ElementCount);
        }

        if (inputGradientLength != 0 && inputGradientLength != inputShape.ElementCount)
        {
            throw Fail("Layer", layer, "input gradient span has {0} elements but the input shape {1} needs exactly {2} (or 0 to skip it).",
                inputGradientLength, inputShape, inputShape.ElementCount);
        }
    }

    /// <summary>
    /// The checks of a generated network's forward pass: a positive batch, and input, output and scratch spans of
    /// exactly (scratch: at least) the batch times the per-sample sizes.
    /// </summary>
    public static void CheckForward(string network, int batch, int inputLength, int inputPerSample, int outputLength,
        int outputPerSample, int scratchLength, int scratchPerSample)
    {
        if (batch <= 0)
        {
            throw Fail("Network", network, "batch must be positive, got {0}.", batch);
        }

        if ((long)batch * Math.Max(Math.Max(inputPerSample, outputPerSample), scratchPerSample) > int.MaxValue)
        {
            throw Fail("Network", network, "batch {0} needs more than {1} floats in one span.", batch, int.MaxValue);
        }

        if (inputLength != batch * inputPerSample)
        {
            throw Fail("Network", network, "input span has {0} elements but a batch of {1} needs exactly {1} x {2} = {3}.",
                inputLength, batch, inputPerSample, batch * inputPerSample);
        }

        if (outputLength != batch * outputPerSample)
        {
            throw Fail("Network", network, "output span has {0} elements but a batch of {1} needs exactly {1} x {2} = {3}.",
                outputLength, batch, outputPerSample, batch * outputPerSample);
        }

        if (scratchLength < batch * scratchPerSample)
        {
            throw Fail("Network", network, "scratch span has {0} elements but a batch of {1} needs at least {1} x {2} = {3} (ScratchLength({1})).",
                scratchLength, batch, scratchPerSample, batch * scratchPerSample);
        }
    }

    /// <summary>Throws unless <paramref name="input"/> is the network's fixed input shape with any batch.</summary>
    public static void CheckInputShape(string network, TensorShape input, TensorShape expected)
    {
        if (input.N <= 0 || (input with { N = expected.N }) != expected)
        {
            throw Fail("Network", network, "expects input shape {0} with any positive batch N, got {1}.", expected, input);
        }
    }

    private static ArgumentException Fail(string what, string name, string format, params object[] args)
        => new(what + " '" + name + "' " + string.Format(CultureInfo.InvariantCulture, format, args));
}
