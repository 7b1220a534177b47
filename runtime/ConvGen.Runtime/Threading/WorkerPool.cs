using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ConvGen.Internal;

/// <summary>
/// A few long-lived worker threads for kernel calls and backward passes. Each call hands every worker one statically assigned part and
/// runs part 0 itself, so there is no task queue, no allocation per call and no thread-pool ramp-up. One call uses
/// the pool at a time; a call that finds it busy (another thread's Forward) runs on its own thread instead of waiting.
/// </summary>
internal static class WorkerPool
{
    private static readonly object s_gate = new();
    private static Worker[] s_workers = Array.Empty<Worker>();

    // The current job, written under s_gate before the workers are released: a Forward kernel or a Backward layer.
    private static IParallelKernel? s_kernel;
    private static KernelCall s_call;
    private static IParallelBackward? s_backward;
    private static BackwardCall s_backwardCall;
    private static int s_parts;
    private static int s_pending;
    private static bool s_running;
    private static ExceptionDispatchInfo? s_failure;
    private static readonly ManualResetEventSlim s_done = new(false, spinCount: 2000);

    public static bool TryRun(IParallelKernel kernel, in KernelCall call, int parts)
    {
        if (!TryBegin(parts))
        {
            return false;
        }

        s_kernel = kernel;
        s_call = call;
        RunJob(parts);
        return true;
    }

    public static bool TryRun(IParallelBackward layer, in BackwardCall call, int parts)
    {
        if (!TryBegin(parts))
        {
            return false;
        }

        s_backward = layer;
        s_backwardCall = call;
        RunJob(parts);
        return true;
    }

    /// <summary>Releases the workers on the job just set, runs part 0 here, joins them and rethrows a worker's exception.</summary>
    private static void RunJob(int parts)
    {
        Release(parts);
        ExceptionDispatchInfo? failure;
        try
        {
            RunPart(0);
        }
        finally
        {
            failure = End();
        }

        failure?.Throw();
    }

    /// <summary>Part <paramref name="part"/> of the current job, whichever kind it is.</summary>
    private static void RunPart(int part)
    {
        if (s_kernel is { } kernel)
        {
            kernel.RunPart(s_call, part, s_parts);
        }
        else
        {
            s_backward!.BackwardPart(s_backwardCall, part, s_parts);
        }
    }

    /// <summary>
    /// Takes the pool for one job, or returns false when another thread's job holds it, or this thread's own (a part
    /// that calls a threaded kernel: the monitor is re-entrant, the job state is not).
    /// </summary>
    private static bool TryBegin(int parts)
    {
        if (!Monitor.TryEnter(s_gate))
        {
            return false;
        }

        if (s_running)
        {
            Monitor.Exit(s_gate);
            return false;
        }

        s_running = true;
        EnsureWorkers(parts - 1);
        s_parts = parts;
        s_failure = null;
        s_pending = parts - 1;
        s_done.Reset();
        return true;
    }

    private static void Release(int parts)
    {
        for (int i = 0; i < parts - 1; i++)
        {
            s_workers[i].Start(i + 1);
        }
    }

    /// <summary>
    /// Joins the workers (the buffers are pinned only while the caller is inside Run: always wait), frees the pool and
    /// returns a worker's exception, if any.
    /// </summary>
    private static ExceptionDispatchInfo? End()
    {
        s_done.Wait();
        ExceptionDispatchInfo? failure = s_failure;
        s_kernel = null;
        s_backward = null;
        s_backwardCall = default;
        s_running = false;
        Monitor.Exit(s_gate);
        return failure;
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count)
        {
            return;
        }

        if (s_workers.Length == 0)
        {
            // The event creates its lock object the first time a caller really blocks on it; a timed-out wait now
            // moves that one allocation out of whichever later Forward first has to wait for a worker.
            s_done.Wait(1);
        }

        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int i = s_workers.Length; i < count; i++)
        {
            workers[i] = new Worker(i + 1);
        }

        s_workers = workers;
    }

    private static void Complete()
    {
        if (Interlocked.Decrement(ref s_pending) == 0)
        {
            s_done.Set();
        }
    }

    private sealed class Worker
    {
        // How long an idle worker keeps polling before it sleeps: long enough that the next layer of a network, or
        // the next call in a loop, finds it awake (a wake-up from sleep costs tens of microseconds), short enough not
        // to hold a core, or the other hyperthread of one, that the application wants for something else.
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000; // 50 microseconds

        private readonly SemaphoreSlim _wake = new(0);
        private int _part;
        private int _generation;
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "ConvGen worker " + index };
            thread.Start();
        }

        public void Start(int part)
        {
            _part = part;
            Interlocked.Increment(ref _generation);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _wake.Release();
            }
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                long spinUntil = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref _generation) == seen)
                {
                    if (System.Diagnostics.Stopwatch.GetTimestamp() < spinUntil)
                    {
                        Thread.SpinWait(4);
                        continue;
                    }

                    // Announce the sleep, then look once more: a Start in between either sees the flag and releases
                    // the semaphore, or its new generation is seen here. A stale release only causes one extra loop.
                    // The exchange is a full fence: with a plain store, x86 may let the load below pass it, and a
                    // Start could then miss the flag while this thread misses the new generation (a lost wake-up).
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _generation) == seen)
                    {
                        _wake.Wait();
                    }

                    Volatile.Write(ref _sleeping, 0);
                    spinUntil = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                }

                seen = Volatile.Read(ref _generation);
                try
                {
                    RunPart(_part);
                }
                catch (Exception e)
                {
                    s_failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    Complete();
                }
            }
        }
    }
}
