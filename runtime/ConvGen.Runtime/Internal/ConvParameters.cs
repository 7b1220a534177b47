using System;
using System.ComponentModel;
using ConvGen.Training;

namespace ConvGen.Internal;

/// <summary>
/// The learnable tensors of a convolution layer with the names and shapes PyTorch gives them (the same ones
/// <see cref="SafeTensors"/> reads and writes), over the layer's own arrays. Called once per generated layer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConvParameters
{
    /// <summary>weight (and bias), or for a separable layer depthwise.weight, pointwise.weight (and pointwise.bias).</summary>
    public static Parameter[] Create(in ConvGeometry g, float[] weights, float[] bias)
    {
        int[] kernel = g.Dimensions switch
        {
            1 => new[] { g.KernelW },
            3 => new[] { g.KernelD, g.KernelH, g.KernelW },
            _ => new[] { g.KernelH, g.KernelW },
        };

        if (g.Kind == ConvKind.Separable)
        {
            int depthwise = g.DepthwiseWeightCount;
            var ones = new int[kernel.Length];
            Array.Fill(ones, 1);
            var depthwiseWeight = new Parameter("depthwise.weight", weights.AsMemory(0, depthwise), Shape(g.DepthwiseChannels, 1, kernel));
            var pointwiseWeight = new Parameter("pointwise.weight", weights.AsMemory(depthwise), Shape(g.OutChannels, g.DepthwiseChannels, ones));
            return g.HasBias
                ? new[] { depthwiseWeight, pointwiseWeight, new Parameter("pointwise.bias", bias, g.OutChannels) }
                : new[] { depthwiseWeight, pointwiseWeight };
        }

        var weight = g.Kind == ConvKind.Transposed
            ? new Parameter("weight", weights, Shape(g.InChannels, g.OutChannelsPerGroup, kernel))
            : new Parameter("weight", weights, Shape(g.OutChannels, g.InChannelsPerGroup, kernel));
        return g.HasBias ? new[] { weight, new Parameter("bias", bias, g.OutChannels) } : new[] { weight };
    }

    private static int[] Shape(int first, int second, int[] kernel)
    {
        var shape = new int[2 + kernel.Length];
        shape[0] = first;
        shape[1] = second;
        kernel.CopyTo(shape, 2);
        return shape;
    }
}
