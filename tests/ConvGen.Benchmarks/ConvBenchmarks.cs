using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks;

/// <summary>The full BenchmarkDotNet report: specialized against general kernel per case, with allocations per call.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks : LayerBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public override BenchCase Case { get; set; } = null!;

    public static IEnumerable<BenchCase> Cases() => BenchCase.All;
}

/// <summary>The convolution family's cases in the BenchmarkDotNet report (<c>--filter *Family*</c>).</summary>
[MemoryDiagnoser]
public class FamilyBenchmarks : LayerBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public override BenchCase Case { get; set; } = null!;

    public static IEnumerable<BenchCase> Cases() => FamilyCases.All;
}

/// <summary>Specialized against general kernel for one case, on one thread.</summary>
public abstract class LayerBenchmarks
{
    private IConvLayer _specialized = null!;
    private IConvLayer _general = null!;
    private ArraySegment<float> _input;
    private ArraySegment<float> _output;

    public abstract BenchCase Case { get; set; }

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

