using System;
using System.Collections.Generic;
using ConvGen.Internal;
using ConvGen.Training;

namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Flatten()</c>: each sample's C·D·H·W values become its features, shape (N, C·D·H·W, length 1). The
/// data does not move (NCHW is already that order), so a network passes the same buffer on. Its backward pass copies
/// the gradient back (nothing to do when both are the same buffer).
/// </summary>
public sealed class Flatten : ITrainableLayer
{
    /// <inheritdoc/>
    public TensorShape GetOutputShape(TensorShape input)
    {
        NetworkGuard.CheckShape(input, nameof(Flatten));
        return new TensorShape(input.N, checked((int)(input.ElementCount / input.N)), 1);
    }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
    {
        TensorShape outputShape = GetOutputShape(inputShape);
        NetworkGuard.CheckLengths(nameof(Flatten), input.Length, inputShape, output.Length, outputShape);
        if (!input.Overlaps(output, out int offset) || offset != 0)
        {
            input.CopyTo(output);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Empty: flattening has nothing to learn.</remarks>
    public IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <inheritdoc/>
    /// <remarks>The input gradient is the output gradient, copied unless both spans are the same memory.</remarks>
    public void Backward(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient)
    {
        TensorShape outputShape = GetOutputShape(inputShape);
        NetworkGuard.CheckLengths(nameof(Flatten), input.Length, inputShape, output.Length, outputShape);
        NetworkGuard.CheckGradients(nameof(Flatten), inputShape, outputShape, outputGradient.Length, inputGradient.Length);
        if (!inputGradient.IsEmpty && (!outputGradient.Overlaps(inputGradient, out int offset) || offset != 0))
        {
            outputGradient.CopyTo(inputGradient);
        }
    }
}
