using System;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>An <see cref="IConvLayer"/> over the general (run-time geometry) kernel; made by <see cref="Conv2d.Create(ConvGeometry)"/>.</summary>
internal sealed class GeneralConv2dLayer : IConvLayer
{
    private readonly ConvGeometry _geometry;
    private readonly float[] _weights;
    private readonly float[] _bias;

    public GeneralConv2dLayer(ConvGeometry geometry)
    {
        geometry.Validate();
        _geometry = geometry;
        _weights = new float[geometry.WeightCount];
        _bias = geometry.HasBias ? new float[geometry.OutChannels] : Array.Empty<float>();
    }

    public int InChannels => _geometry.InChannels;

    public int OutChannels => _geometry.OutChannels;

    public ConvGeometry Geometry => _geometry;

    public Span<float> Weights => _weights;

    public Span<float> Bias => _bias;

    /// <summary>Accepted for the interface; the general kernel runs on the calling thread.</summary>
    public int Threads { get; set; }

    public TensorShape GetOutputShape(TensorShape input) => LayerGuard.OutputShape(_geometry, input, nameof(Conv2d));

    public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
    {
        TensorShape outputShape = LayerGuard.CheckForward(_geometry, input.Length, inputShape, output.Length, nameof(Conv2d));
        GeneralConv2dKernel.Run(_geometry, input, inputShape, _weights, _bias, output, outputShape);
    }
}
