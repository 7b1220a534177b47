using System;
using System.Collections.Generic;
using ConvGen.Internal;
using ConvGen.Training;

namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AdaptiveAvgPool1d/2d/3d(1)</c>: the mean of every channel over all its positions, keeping the
/// input's dimensions with every spatial size 1 (N, C, 1, 1 for NCHW). Its backward pass spreads each channel's
/// gradient evenly over the channel's positions.
/// </summary>
public sealed class GlobalAvgPool : ITrainableLayer
{
    /// <inheritdoc/>
    public TensorShape GetOutputShape(TensorShape input)
    {
        NetworkGuard.CheckShape(input, nameof(GlobalAvgPool));
        return input with { D = 1, H = 1, W = 1 };
    }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output)
    {
        TensorShape outputShape = GetOutputShape(inputShape);
        NetworkGuard.CheckLengths(nameof(GlobalAvgPool), input.Length, inputShape, output.Length, outputShape);
        int plane = inputShape.D * inputShape.H * inputShape.W;
        float scale = 1f / plane;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Sum(input.Slice(i * plane, plane)) * scale;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Empty: averaging has nothing to learn.</remarks>
    public IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <inheritdoc/>
    /// <remarks>Each input gets its channel's output gradient divided by the channel's D·H·W positions.</remarks>
    public void Backward(ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient)
    {
        TensorShape outputShape = GetOutputShape(inputShape);
        NetworkGuard.CheckLengths(nameof(GlobalAvgPool), input.Length, inputShape, output.Length, outputShape);
        NetworkGuard.CheckGradients(nameof(GlobalAvgPool), inputShape, outputShape, outputGradient.Length, inputGradient.Length);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        if (inputGradient.Overlaps(outputGradient))
        {
            throw new ArgumentException($"Layer '{nameof(GlobalAvgPool)}' input gradient span overlaps the output gradient; its backward pass cannot run in place.",
                nameof(inputGradient));
        }

        int plane = inputShape.D * inputShape.H * inputShape.W;
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient.Slice(i * plane, plane).Fill(outputGradient[i] / plane);
        }
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        var acc = System.Numerics.Vector<float>.Zero;
        int i = 0, width = System.Numerics.Vector<float>.Count;
        for (; i <= values.Length - width; i += width)
        {
            acc += new System.Numerics.Vector<float>(values.Slice(i));
        }

        float sum = System.Numerics.Vector.Sum(acc);
        for (; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}
