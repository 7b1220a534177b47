using System;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.Flatten()</c>: each sample's C·D·H·W values become its features, shape (N, C·D·H·W, length 1). The
/// data does not move (NCHW is already that order), so a network passes the same buffer on.
/// </summary>
public sealed class Flatten : ILayer
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
}
