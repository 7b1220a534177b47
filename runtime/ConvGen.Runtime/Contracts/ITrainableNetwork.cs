using System;
using System.Collections.Generic;
using ConvGen.Training;

namespace ConvGen;

/// <summary>
/// A generated <c>[Network]</c> as a <see cref="Trainer"/> sees it: a forward pass that keeps every layer's output,
/// a backward pass over those outputs, and the parameters of all layers with their field names as prefixes.
/// </summary>
public interface ITrainableNetwork
{
    /// <summary>Floats per sample of input.</summary>
    int InputSize { get; }

    /// <summary>Floats per sample of output.</summary>
    int OutputSize { get; }

    /// <summary>Floats per sample <see cref="ForwardTraining"/> keeps: the output of every layer but the last.</summary>
    int TrainingSize { get; }

    /// <summary>Floats per sample <see cref="Backward"/> needs for the gradients of those outputs.</summary>
    int GradientSize { get; }

    /// <summary>Every learnable tensor, named as in PyTorch's <c>state_dict</c> (<c>conv1.weight</c>, ...).</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The inference pass, with scratch memory the network owns.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batch);

    /// <summary>
    /// The forward pass of a training step: like <see cref="Forward"/>, but every layer's output is kept in
    /// <paramref name="activations"/> (batch × <see cref="TrainingSize"/> floats) for <see cref="Backward"/>.
    /// </summary>
    void ForwardTraining(ReadOnlySpan<float> input, Span<float> output, int batch, Span<float> activations);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss gradient with respect to
    /// <paramref name="output"/>) through every layer, adding each parameter's gradient to
    /// <see cref="Parameter.Gradient"/>; <paramref name="gradients"/> (batch × <see cref="GradientSize"/> floats) holds
    /// the gradients of the layer outputs. The input gradient is written when <paramref name="inputGradient"/> is not
    /// empty.
    /// </summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int batch,
        ReadOnlySpan<float> activations, Span<float> gradients, Span<float> inputGradient);

    /// <summary>The first layer (in forward order) whose kept output holds a NaN or an infinity, or null.</summary>
    string? FindNonFinite(ReadOnlySpan<float> activations, ReadOnlySpan<float> output, int batch);
}
