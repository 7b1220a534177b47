using System;
using System.Threading;
using ConvGen.Internal;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>The threading machinery behind generated layers, driven by a kernel that reports what each part saw.</summary>
[Collection(WorkerPoolCollection.Name)]
public class WorkerPoolTests
{
    /// <summary>Writes each part's index over its slice of the output and records the worker thread's allocations.</summary>
    private sealed class RecordingKernel : IParallelKernel
    {
        public long WorkerAllocated = -1;
        public long WorkerAllocatedSinceFirst;
        public int WorkerThreadId;

        public void RunPart(in KernelCall call, int part, int parts)
        {
            Span<float> output = call.Output;
            int begin = (int)((long)output.Length * part / parts), end = (int)((long)output.Length * (part + 1) / parts);
            float sum = 0;
            foreach (float x in call.Input)
            {
                sum += x;
            }

            output[begin..end].Fill(part + sum);
            if (part == 1)
            {
                WorkerThreadId = Environment.CurrentManagedThreadId;
                long now = GC.GetAllocatedBytesForCurrentThread();
                if (WorkerAllocated >= 0)
                {
                    WorkerAllocatedSinceFirst += now - WorkerAllocated;
                }

                WorkerAllocated = now;
            }
        }
    }

    [Fact]
    public void Parts_split_the_output_and_run_on_a_worker_thread()
    {
        var kernel = new RecordingKernel();
        var input = new float[] { 0.5f, 0.25f };
        var output = new float[10];
        KernelThreads.Run(kernel, input, new TensorShape(1, 1, 1, 2), output, new TensorShape(1, 1, 2, 5), parts: 2);
        Assert.Equal(new float[] { 0.75f, 0.75f, 0.75f, 0.75f, 0.75f, 1.75f, 1.75f, 1.75f, 1.75f, 1.75f }, output);
        Assert.NotEqual(Environment.CurrentManagedThreadId, kernel.WorkerThreadId);
    }

    [Fact]
    public void Worker_and_caller_allocate_nothing_per_call_once_warm()
    {
        var kernel = new RecordingKernel();
        var input = new float[64];
        var output = new float[4096];
        var inShape = new TensorShape(1, 1, 8, 8);
        var outShape = new TensorShape(1, 1, 64, 64);
        for (int i = 0; i < 20; i++)
        {
            KernelThreads.Run(kernel, input, inShape, output, outShape, parts: 2);
            Thread.Sleep(i % 5 == 0 ? 2 : 0); // warm the sleep and wake-up paths too
        }

        // As SteadyState measures: the least over a few windows, so that a one-off allocation by the runtime itself
        // (tiering lands on whichever thread runs the code) does not count, while an allocation per call still does.
        long callerLeast = long.MaxValue, workerLeast = long.MaxValue;
        for (int window = 0; window < 5 && (callerLeast != 0 || workerLeast != 0); window++)
        {
            kernel.WorkerAllocatedSinceFirst = 0;
            long caller = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                KernelThreads.Run(kernel, input, inShape, output, outShape, parts: 2);
                if (i % 50 == 0)
                {
                    Thread.Sleep(2); // let the worker fall asleep now and then: the wake-up path must not allocate either
                }
            }

            callerLeast = Math.Min(callerLeast, GC.GetAllocatedBytesForCurrentThread() - caller);
            workerLeast = Math.Min(workerLeast, kernel.WorkerAllocatedSinceFirst);
        }

        Assert.Equal(0, callerLeast);
        Assert.Equal(0, workerLeast);
    }

    [Fact]
    public void An_exception_in_a_worker_part_reaches_the_caller()
    {
        var kernel = new ThrowingKernel();
        var e = Assert.Throws<InvalidOperationException>(() =>
            KernelThreads.Run(kernel, new float[1], new TensorShape(1, 1, 1, 1), new float[2], new TensorShape(1, 1, 1, 2), parts: 2));
        Assert.Equal("part 1", e.Message);

        // The pool stays usable afterwards.
        var output = new float[10];
        KernelThreads.Run(new RecordingKernel(), new float[2], new TensorShape(1, 1, 1, 2), output, new TensorShape(1, 1, 2, 5), parts: 2);
        Assert.Equal(1f, output[9]);
    }

    [Theory]
    [InlineData(0, 50, 1)]      // 50 us of work: stay on the calling thread
    [InlineData(0, 250, 2)]     // enough for both cores of a 2-core machine
    [InlineData(1, 5000, 1)]    // Threads = 1 is never split
    [InlineData(2, 50, 1)]      // Threads = n is a limit, not an order
    public void Thread_policy_splits_only_work_that_pays_for_it(int limit, double microseconds, int expectedOnTwoCores)
    {
        int expected = Math.Min(expectedOnTwoCores, Environment.ProcessorCount);
        Assert.Equal(expected, KernelThreads.Parts(limit, microseconds));
    }

    private sealed class ThrowingKernel : IParallelKernel
    {
        public void RunPart(in KernelCall call, int part, int parts)
        {
            if (part == 1)
            {
                throw new InvalidOperationException("part 1");
            }
        }
    }
}

/// <summary>Tests that need the worker pool to themselves (a busy pool makes a call run on its caller alone).</summary>
[CollectionDefinition(Name)]
public sealed class WorkerPoolCollection
{
    public const string Name = "worker pool";
}
