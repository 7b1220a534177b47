using System;
using ConvGen.Internal;

namespace ConvGen;

/// <summary>
/// PyTorch's <c>nn.AdaptiveAvgPool1d/2d/3d(1)</c>: the mean of every channel over all its positions, keeping the
/// input's dimensions with every spatial size 1 (N, C, 1, 1 for NCHW).
/// </summary>
public sealed class GlobalAvgPool : ILayer
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
