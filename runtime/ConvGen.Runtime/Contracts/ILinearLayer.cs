using System;

namespace ConvGen;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b with PyTorch's [OutFeatures, InFeatures] weights, then the activation. It
/// reads each sample's C·D·H·W values as its features (NCHW order, what PyTorch's <c>flatten(1)</c> gives) and writes
/// [N, OutFeatures] as the shape (N, OutFeatures, length 1).
/// </summary>
public interface ILinearLayer : ILayer
{
    /// <summary>Features per sample the layer reads.</summary>
    int InFeatures { get; }

    /// <summary>Features per sample the layer writes.</summary>
    int OutFeatures { get; }

    /// <summary>Weights as [OutFeatures, InFeatures], row-major (PyTorch <c>nn.Linear.weight</c>).</summary>
    Span<float> Weights { get; }

    /// <summary>One bias per output feature; empty when the layer has no bias.</summary>
    Span<float> Bias { get; }
}
