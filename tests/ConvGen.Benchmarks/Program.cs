using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>--json FILE [--threads 1,2] [--cases a,b] [--family]</c>: quick mode, one JSON line per case, kernel and thread
    /// count; <c>--family</c> runs the convolution family's cases instead of the 2-D ones.
    /// Anything else goes to BenchmarkDotNet (e.g. <c>--filter *</c>).
    /// </summary>
    public static int Main(string[] args)
    {
        int json = Array.IndexOf(args, "--json");
        if (json < 0)
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        if (json + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: --json FILE [--threads 1,2] [--cases a,b] [--family]");
            return 2;
        }

        string? Option(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int[] threads = (Option("--threads") ?? "1").Split(',').Select(int.Parse).ToArray();
        string[]? cases = Option("--cases")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return QuickRunner.Run(args[json + 1], threads, cases, args.Contains("--family"));
    }
}
