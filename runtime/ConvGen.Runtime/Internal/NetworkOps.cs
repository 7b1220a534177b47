using System;
using System.ComponentModel;
using System.Numerics;

namespace ConvGen.Internal;

/// <summary>The element-wise steps of generated networks. Not meant to be called by user code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkOps
{
    /// <summary>
    /// A residual add: <paramref name="target"/>[i] = activation(<paramref name="target"/>[i] + <paramref name="source"/>[i]).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or overlap.</exception>
    public static void AddInPlace(Span<float> target, ReadOnlySpan<float> source, Activation activation, float negativeSlope)
    {
        if (target.Length != source.Length)
        {
            throw new ArgumentException($"A residual add needs two tensors of one size, got {target.Length} and {source.Length} floats.", nameof(source));
        }

        if (target.Overlaps(source))
        {
            throw new ArgumentException("A residual add's source overlaps its target.", nameof(source));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(target.Slice(i)) + new Vector<float>(source.Slice(i))).CopyTo(target.Slice(i));
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += source[i];
        }

        ActivationFunctions.Apply(target, activation, negativeSlope);
    }
}
