using System;
using System.Collections.Generic;
using ConvGen.Training;

namespace ConvGen;

/// <summary>
/// A layer that can pass gradients back: every generated convolution, pooling and linear layer, and the runtime's
/// <see cref="Flatten"/> and <see cref="GlobalAvgPool"/>.
/// </summary>
public interface ITrainableLayer : ILayer
{
    /// <summary>
    /// The learnable tensors in PyTorch <c>state_dict</c> order (weight, then bias), each over the layer's own
    /// storage with its gradient beside it; empty for layers without any. The same instances on every call.
    /// </summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Given the <paramref name="input"/> and <paramref name="output"/> of a <see cref="ILayer.Forward"/> call and the
    /// loss gradient with respect to that output, writes the gradient with respect to the input into
    /// <paramref name="inputGradient"/> (pass an empty span to skip it, as for a network's first layer) and adds the
    /// gradients of the parameters, summed over the batch, to each <see cref="Parameter.Gradient"/>: gradients
    /// accumulate as PyTorch's do, so a layer used twice gets both contributions, and the optimizer zeroes them.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the shapes.</exception>
    void Backward(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);
}
