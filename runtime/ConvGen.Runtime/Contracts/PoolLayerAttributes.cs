using System;

namespace ConvGen;

/// <summary>
/// Declares a max-pooling layer (PyTorch <c>nn.MaxPool1d/2d/3d</c>): the maximum of each K-wide window on every
/// spatial axis of the input it receives, padding never chosen. The generator makes the class an <see cref="ITrainableLayer"/>.
/// </summary>
/// <example><code>[MaxPoolLayer(K = 2)] public partial class Pool2 { }</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MaxPoolLayerAttribute : Attribute
{
    /// <summary>Window size on every spatial axis.</summary>
    public int K { get; set; }

    /// <summary>Stride on every spatial axis; 0 (the default) means K, as in PyTorch.</summary>
    public int S { get; set; }

    /// <summary>Implicit padding on both ends of every spatial axis (at most K / 2, as in PyTorch).</summary>
    public int P { get; set; }
}

/// <summary>
/// Declares an average-pooling layer (PyTorch <c>nn.AvgPool1d/2d/3d</c>): the mean of each K-wide window on every
/// spatial axis. The generator makes the class an <see cref="ITrainableLayer"/>.
/// </summary>
/// <example><code>[AvgPoolLayer(K = 2)] public partial class Avg2 { }</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AvgPoolLayerAttribute : Attribute
{
    /// <summary>Window size on every spatial axis.</summary>
    public int K { get; set; }

    /// <summary>Stride on every spatial axis; 0 (the default) means K, as in PyTorch.</summary>
    public int S { get; set; }

    /// <summary>Zero padding on both ends of every spatial axis (at most K / 2, as in PyTorch).</summary>
    public int P { get; set; }

    /// <summary>Whether padded zeros count in the divisor (default true, as PyTorch's <c>count_include_pad</c>).</summary>
    public bool CountIncludePad { get; set; } = true;
}

/// <summary>
/// Declares a fully connected layer (PyTorch <c>nn.Linear</c>) with its activation fused. The generator makes the
/// class an <see cref="ILinearLayer"/> and an <see cref="ITrainableLayer"/>.
/// </summary>
/// <example><code>[LinearLayer(InFeatures = 400, OutFeatures = 120, Activation = Activation.ReLU)] public partial class Fc1 { }</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LinearLayerAttribute : Attribute
{
    /// <summary>Features per sample the layer reads.</summary>
    public int InFeatures { get; set; }

    /// <summary>Features per sample the layer writes.</summary>
    public int OutFeatures { get; set; }

    /// <summary>Whether each output feature has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>The function applied to every output after the bias (default <see cref="Activation.None"/>).</summary>
    public Activation Activation { get; set; }

    /// <summary>Slope for negative inputs of <see cref="Activation.LeakyReLU"/> (default 0.01, as PyTorch).</summary>
    public float NegativeSlope { get; set; } = 0.01f;
}
