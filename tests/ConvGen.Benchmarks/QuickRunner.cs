using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ConvGen.Benchmarks;

/// <summary>
/// The quick mode: the peers' own method (time-based warm-up of at least 0.1 s, then 7 repetitions of a loop of calls
/// lasting at least 60 ms, the per-call median reported), one JSON line per case, kernel and thread count. Input and
/// output are 64-byte aligned, as the peers' tensors are.
/// </summary>
internal static class QuickRunner
{
    public static int Run(string jsonPath, IReadOnlyList<int> threads, IReadOnlyCollection<string>? cases, bool family = false)
    {
        IReadOnlyList<BenchCase> pool = cases is not null ? BenchCase.All.Concat(FamilyCases.All).ToList() : family ? FamilyCases.All : BenchCase.All;
        var selected = pool.Where(c => cases is null || cases.Contains(c.Name)).ToList();
        var unknown = cases?.Except(pool.Select(c => c.Name)).ToList();
        if (unknown is { Count: > 0 })
        {
            Console.Error.WriteLine($"Unknown case(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", pool.Select(c => c.Name))}");
            return 2;
        }

        // Three rounds over all measurements, interleaved, and the median round kept: on a shared 2-core VM a
        // disturbance lasting a second then spoils one round of a case, not its result.
        const int Rounds = 3;
        var jobs = new List<(BenchCase Case, int Threads, string Peer, IConvLayer Layer)>();
        foreach (BenchCase c in selected)
        {
            foreach (int t in threads)
            {
                jobs.Add((c, t, "convgen", c.Specialized()));
                jobs.Add((c, t, "convgen-general", c.General()));
                if (c.Direct is not null)
                {
                    jobs.Add((c, t, "convgen-direct", c.Direct()));
                }
            }
        }

        var times = new double[jobs.Count][];
        for (int j = 0; j < jobs.Count; j++)
        {
            times[j] = new double[Rounds];
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int j = 0; j < jobs.Count; j++)
            {
                times[j][round] = Measure(jobs[j].Layer, jobs[j].Case.Input, jobs[j].Threads);
            }
        }

        using var json = new StreamWriter(jsonPath, append: false);
        Console.WriteLine($"{"case",-18} {"T",2} {"kernel",-16} {"ms",9} {"GFLOP/s",8}  rounds (ms)");
        for (int j = 0; j < jobs.Count; j++)
        {
            (BenchCase c, int t, string peer, _) = jobs[j];
            double[] rounds = times[j];
            double ms = rounds.OrderBy(x => x).ElementAt(Rounds / 2);
            Console.WriteLine($"{c.Name,-18} {t,2} {peer,-16} {ms,9:F4} {c.Flops / ms / 1e6,8:F1}  {string.Join(" ", rounds.Select(r => r.ToString("F4", CultureInfo.InvariantCulture)))}");
            json.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"peer\":\"{peer}\",\"case\":\"{c.Name}\",\"threads\":{t},\"ms_median\":{ms:R},\"gflops\":{c.Flops / ms / 1e6:F2}}}"));
        }

        return 0;
    }

    private static double Measure(IConvLayer layer, TensorShape shape, int threads)
    {
        layer.Threads = threads;
        var random = new Random(42);
        for (int i = 0; i < layer.Weights.Length; i++)
        {
            layer.Weights[i] = (float)(random.NextDouble() - 0.5);
        }

        for (int i = 0; i < layer.Bias.Length; i++)
        {
            layer.Bias[i] = (float)(random.NextDouble() - 0.5);
        }

        ArraySegment<float> input = AlignedBuffer.Create(shape.ElementCount);
        for (int i = 0; i < input.Count; i++)
        {
            input[i] = (float)(random.NextDouble() - 0.5);
        }

        ArraySegment<float> output = AlignedBuffer.Create(layer.GetOutputShape(shape).ElementCount);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 0.1)
        {
            layer.Forward(input, shape, output);
        }

        var perCall = new double[7];
        for (int rep = 0; rep < perCall.Length; rep++)
        {
            int calls = 0;
            clock.Restart();
            do
            {
                layer.Forward(input, shape, output);
                calls++;
            }
            while (clock.Elapsed.TotalMilliseconds < 60);
            perCall[rep] = clock.Elapsed.TotalMilliseconds / calls;
        }

        Array.Sort(perCall);
        return perCall[perCall.Length / 2];
    }
}
