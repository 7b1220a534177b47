using System;
using BenchmarkDotNet.Attributes;
using ConvGen.Layers.Tests.Networks;

namespace ConvGen.Benchmarks;

/// <summary>
/// Whole-network inference of the two networks peers/torch_network.py times in PyTorch, batch 1 and 8, with every
/// layer on the calling thread (Threads = 1) or left to decide (Threads = 0). Run with <c>--filter *Network*</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 15)]
public class NetworkBenchmarks
{
    private Action<float[], float[], int, float[]> _forward = null!;
    private float[] _input = null!, _output = null!, _scratch = null!;

    [Params("lenet", "mobile")]
    public string Network { get; set; } = "";

    [Params(1, 8)]
    public int Batch { get; set; }

    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        (string, ILayer)[] modules;
        int inputSize, outputSize, scratch;
        if (Network == "lenet")
        {
            var lenet = new LeNet();
            modules = lenet.Modules();
            (inputSize, outputSize, scratch) = (LeNet.InputSize, LeNet.OutputSize, LeNet.ScratchLength(Batch));
            _forward = (x, y, n, s) => lenet.Forward(x, y, n, s);
        }
        else
        {
            var mobile = new MobileNet();
            modules = mobile.Modules();
            (inputSize, outputSize, scratch) = (MobileNet.InputSize, MobileNet.OutputSize, MobileNet.ScratchLength(Batch));
            _forward = (x, y, n, s) => mobile.Forward(x, y, n, s);
        }

        foreach ((string _, ILayer layer) in modules)
        {
            if (layer is IConvLayer conv)
            {
                conv.Threads = Threads;
                Fill(conv.Weights, random, 0.2f);
                Fill(conv.Bias, random, 0.1f);
            }
            else if (layer is ILinearLayer linear)
            {
                Fill(linear.Weights, random, 0.1f);
                Fill(linear.Bias, random, 0.1f);
            }
        }

        _input = new float[Batch * inputSize];
        _output = new float[Batch * outputSize];
        _scratch = new float[scratch];
        Fill(_input, random, 1f);
    }

    [Benchmark]
    public void Forward() => _forward(_input, _output, Batch, _scratch);

    private static void Fill(Span<float> data, Random random, float scale)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
    }
}
