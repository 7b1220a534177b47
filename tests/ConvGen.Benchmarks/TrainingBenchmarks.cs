using System;
using BenchmarkDotNet.Attributes;
using ConvGen.Samples.Training;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// One training step of the training sample's network (forward keeping activations, cross-entropy, backward, optimizer
/// step), batch 32 and 1, the work peers/torch_training.py times in PyTorch. <see cref="Threads"/> is every
/// convolution's <c>Threads</c> (forward and backward; pooling and linear layers stay on the calling thread).
/// Run with <c>--filter *Training*</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 15)]
public class TrainingBenchmarks
{
    private Trainer _trainer = null!;
    private float[] _input = null!;
    private int[] _labels = null!;

    [Params(32, 1)]
    public int Batch { get; set; }

    [Params("sgd", "adam")]
    public string Optimizer { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var network = new FashionNet();
        foreach ((string _, ILayer layer) in network.Modules())
        {
            if (layer is IConvLayer conv)
            {
                conv.Threads = Threads;
            }
        }

        var random = new TrainingRandom(1);
        Initialization.KaimingUniform(network.Parameters, random);
        Optimizer optimizer = Optimizer == "sgd"
            ? new Sgd(network.Parameters, learningRate: 0.01f, momentum: 0.9f)
            : new Adam(network.Parameters, learningRate: 1e-3f);
        _trainer = new Trainer(network, optimizer, Batch);
        _input = new float[Batch * FashionNet.InputSize];
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = random.NextFloat() * 2 - 1;
        }

        _labels = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            _labels[i] = random.NextInt(10);
        }
    }

    [Benchmark]
    public float Step() => _trainer.Step(_input, _labels, Batch).Loss;
}
