using System;
using System.ComponentModel;

namespace ConvGen.Internal;

/// <summary>
/// The threading policy and entry point of kernels: how many parts a call is split into, and running them on the
/// caller plus the <see cref="WorkerPool"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelThreads
{
    /// <summary>
    /// Single-thread work below which a call stays on the calling thread. Handing a part to a worker and joining it
    /// costs a few microseconds when the worker is awake and tens when it sleeps, so splitting less than this would
    /// make small layers slower, never faster.
    /// </summary>
    public const double MinMicrosecondsPerExtraThread = 100;

    /// <summary>
    /// Parts for a call estimated at <paramref name="microseconds"/> on one thread: one per
    /// <see cref="MinMicrosecondsPerExtraThread"/>, at most the processor count and at most <paramref name="limit"/>
    /// when it is positive.
    /// </summary>
    public static int Parts(int limit, double microseconds)
    {
        int cap = limit > 0 ? Math.Min(limit, Environment.ProcessorCount) : Environment.ProcessorCount;
        return (int)Math.Max(1, Math.Min(cap, Math.Floor(microseconds / MinMicrosecondsPerExtraThread)));
    }

    /// <summary>Runs <paramref name="parts"/> parts of a call: part 0 on the caller, the others on pooled workers.</summary>
    public static unsafe void Run(IParallelKernel kernel, ReadOnlySpan<float> input, TensorShape inputShape,
        Span<float> output, TensorShape outputShape, int parts)
    {
        fixed (float* pin = input)
        fixed (float* pout = output)
        {
            var call = new KernelCall((nint)pin, input.Length, inputShape, (nint)pout, output.Length, outputShape);
            if (parts <= 1 || !WorkerPool.TryRun(kernel, call, parts))
            {
                kernel.RunPart(call, 0, 1);
            }
        }
    }
}
