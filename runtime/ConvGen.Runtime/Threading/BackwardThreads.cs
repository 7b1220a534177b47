using System;
using System.Collections.Generic;
using System.ComponentModel;
using ConvGen.Training;

namespace ConvGen.Internal;

/// <summary>
/// The threading of backward passes: a batch is split into ranges of images, one per part, on the caller plus the
/// <see cref="WorkerPool"/>. Images are independent in a backward pass except for the parameter gradients they all
/// add to; each part beyond the first accumulates those into a private buffer, added to the parameters after the join
/// (a layer's parameters are small next to its activations, so the extra adds cost little).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BackwardThreads
{
    /// <summary>
    /// Parts for a backward pass of <paramref name="images"/> images estimated at <paramref name="microseconds"/> on one
    /// thread: as <see cref="KernelThreads.Parts"/>, and at most one per image.
    /// </summary>
    public static int Parts(int limit, int images, double microseconds)
        => Math.Max(1, Math.Min(images, KernelThreads.Parts(limit, microseconds)));

    /// <summary>
    /// Parts for the backward pass of a layer of geometry <paramref name="g"/>: its weight and input gradients are each
    /// about the forward pass's multiply-adds (weights times the positions they slide over), estimated at 60 GFLOP/s.
    /// </summary>
    public static int Parts(int limit, in ConvGeometry g, TensorShape inputShape, TensorShape outputShape)
    {
        TensorShape slid = g.Kind == ConvKind.Transposed ? inputShape : outputShape;
        double positions = (double)slid.N * slid.D * slid.H * slid.W;
        return Parts(limit, inputShape.N, 2 * 2.0 * positions * g.WeightCount / 60e3);
    }

    /// <summary>
    /// Runs <paramref name="layer"/>'s backward pass in <paramref name="parts"/> parts (see
    /// <see cref="IParallelBackward.BackwardPart"/>) and adds the parts' parameter gradients to
    /// <paramref name="parameters"/>. <paramref name="partGradients"/> is the layer's buffer for them, grown here.
    /// </summary>
    public static unsafe void Run(IParallelBackward layer, IReadOnlyList<Parameter> parameters, ref float[]? partGradients,
        ReadOnlySpan<float> input, TensorShape inputShape, ReadOnlySpan<float> output, TensorShape outputShape,
        ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int parts)
    {
        int stride = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            stride += parameters[i].Gradient.Length;
        }

        if (parts > 1)
        {
            LayerBuffer.Get(ref partGradients, (long)(parts - 1) * stride).Clear();
        }

        fixed (float* pin = input)
        fixed (float* pout = output)
        fixed (float* pdy = outputGradient)
        fixed (float* pdx = inputGradient)
        {
            var call = new BackwardCall((nint)pin, input.Length, inputShape, (nint)pout, output.Length, outputShape,
                (nint)pdy, (nint)pdx, inputGradient.Length, parameters, partGradients, stride);
            if (parts <= 1 || !WorkerPool.TryRun(layer, call, parts))
            {
                layer.BackwardPart(call, 0, 1);
                return;
            }
        }

        // In part order, so that a given batch and part count always sums the same way.
        float[] sums = partGradients!;
        for (int part = 1; part < parts; part++)
        {
            int offset = (part - 1) * stride;
            for (int i = 0; i < parameters.Count; i++)
            {
                float[] gradient = parameters[i].Gradient;
                NetworkOps.AddInPlace(gradient, sums.AsSpan(offset, gradient.Length), Activation.None, 0f);
                offset += gradient.Length;
            }
        }
    }
}
