using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.Intrinsics;
using ConvGen.Training;

namespace ConvGen.Internal;

/// <summary>Helpers of generated networks' training members. Called by generated code only.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrainingSupport
{
    /// <summary>
    /// The parameters of every trainable module, prefixed with its name; a layer instance that appears under two
    /// names contributes its tensors once (under the first), so an optimizer never steps them twice.
    /// </summary>
    public static Parameter[] Collect((string Name, ILayer Layer)[] modules)
    {
        var list = new List<Parameter>();
        var seen = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        foreach ((string name, ILayer layer) in modules)
        {
            if (layer is not ITrainableLayer trainable)
            {
                continue;
            }

            foreach (Parameter p in trainable.Parameters)
            {
                if (seen.Add(p.Gradient))
                {
                    list.Add(p.WithPrefix(name));
                }
            }
        }

        return list.ToArray();
    }

    /// <summary>Whether every value is finite (neither NaN nor an infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for finite x and NaN for NaN and the infinities; so one sum of differences tests them all.
        int i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            ref float v0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                acc += v - v;
            }

            if (acc != Vector256<float>.Zero)
            {
                return false;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws unless the spans of a network's training pass have the lengths the batch needs.</summary>
    public static void CheckTraining(string network, int batch, int inputLength, int inputSize, int outputLength, int outputSize,
        int bufferLength, int bufferSize, string bufferName)
    {
        NetworkGuard.CheckForward(network, batch, inputLength, inputSize, outputLength, outputSize, int.MaxValue, 0);
        if (bufferLength < (long)batch * bufferSize)
        {
            throw new ArgumentException(
                $"Network '{network}' {bufferName} span has {bufferLength} elements but a batch of {batch} needs at least {batch} x {bufferSize} = {(long)batch * bufferSize}.");
        }
    }

    /// <summary>Throws unless a gradient span has exactly the length of the values it is the gradient of.</summary>
    public static void CheckGradient(string network, string what, int length, int expected, bool emptyAllowed)
    {
        if (length != expected && !(emptyAllowed && length == 0))
        {
            throw new ArgumentException(
                $"Network '{network}' {what} span has {length} elements but needs exactly {expected}{(emptyAllowed ? " (or 0 to skip it)" : "")}.");
        }
    }
}
