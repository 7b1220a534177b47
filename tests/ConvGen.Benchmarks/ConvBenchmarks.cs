using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks;

/// <summary>The full BenchmarkDotNet report: specialized against general kernel per case, with allocations per call.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private IConvLayer _specialized = null!;
    private IConvLayer _general = null!;
    private ArraySegment<float> _input;
    private ArraySegment<float> _output;

    [ParamsSource(nameof(Cases))]
    public BenchCase Case { get; set; } = null!;

    public static IEnumerable<BenchCase> Cases() => BenchCase.All;

    [GlobalSetup]
    public void Setup()
    {
        // One thread for both, so the ratio is what specialization buys; the quick mode measures threads separately.
        _specialized = Case.Specialized();
        _specialized.Threads = 1;
        _general = Case.General();
        _input = AlignedBuffer.Create(Case.Input.ElementCount);
        _output = AlignedBuffer.Create(_specialized.GetOutputShape(Case.Input).ElementCount);
        var random = new System.Random(1);
        for (int i = 0; i < _input.Count; i++)
        {
            _input[i] = (float)random.NextDouble();
        }
    }

    [Benchmark(Baseline = true)]
    public void General() => _general.Forward(_input, Case.Input, _output);

    [Benchmark]
    public void Specialized() => _specialized.Forward(_input, Case.Input, _output);
}
