using System;

namespace ConvGen;

/// <summary>
/// One step of a network: a shape rule and a forward pass over NCHW (NCL, NCDHW) data. Every convolution layer
/// (<see cref="IConvLayer"/>), linear layer (<see cref="ILinearLayer"/>), pooling layer, <see cref="Flatten"/>,
/// <see cref="GlobalAvgPool"/> and every generated <c>[Network]</c> implements it, so they compose.
/// </summary>
public interface ILayer
{
    /// <summary>The output shape for <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input does not fit the layer; the message names expected and actual.</exception>
    TensorShape GetOutputShape(TensorShape input);

    /// <summary>Computes the layer's output for <paramref name="input"/> of shape <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The shape does not fit the layer, or a span's length is not exactly the shape's element count.
    /// </exception>
    void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output);
}
