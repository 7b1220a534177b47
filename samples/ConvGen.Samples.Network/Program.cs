using System;
using System.Diagnostics;
using System.IO;
using ConvGen;
using ConvGen.Samples.Network;

// Usage: ConvGen.Samples.Network [weights.safetensors]
// Without a weights file the layers get PyTorch's default initialisation (Kaiming-uniform, seeded), so the class
// scores are those of an untrained network; with one (a state_dict of the same module, see README) they are real.
var network = new Digits();
string source;
if (args.Length > 0)
{
    network.LoadSafeTensors(File.ReadAllBytes(args[0]));
    source = args[0];
}
else
{
    Initialize(network, new Random(2024));
    source = "seeded PyTorch-style initialisation (untrained)";
}

Console.WriteLine(Digits.Summary);
Console.WriteLine();
Console.WriteLine($"Receptive field          {Digits.ReceptiveFieldH}x{Digits.ReceptiveFieldW} input pixels per feature of the last pooling layer");
Console.WriteLine($"Scratch per sample       {Digits.ScratchSize:N0} floats ({Digits.ScratchSize * 4 / 1024.0:0.0} KiB); ping-pong buffers would need {Digits.PingPongScratchSize:N0}");
Console.WriteLine($"Peak live activations    {Digits.PeakActivationSize:N0} floats per sample");
Console.WriteLine($"Weights                  {source}");
Console.WriteLine();

// A built-in input: a hand-drawn 7 on a 28x28 canvas (stroke values 1, background 0).
float[] seven = DrawSeven();
var scores = new float[Digits.OutputSize];
float[] scratch = new float[Digits.ScratchLength(8)];
network.Forward(seven, scores, 1, scratch);
Console.WriteLine("Class scores for the built-in '7': " + string.Join(" ", Array.ConvertAll(scores, s => s.ToString("0.000"))));
Console.WriteLine($"Predicted class          {Array.IndexOf(scores, Max(scores))}" + (args.Length == 0 ? " (untrained weights: load a trained state_dict for a real answer)" : ""));
Console.WriteLine();

foreach (int batch in new[] { 1, 8 })
{
    var input = new float[batch * Digits.InputSize];
    for (int n = 0; n < batch; n++)
    {
        seven.CopyTo(input, n * Digits.InputSize);
    }

    var output = new float[batch * Digits.OutputSize];
    // Half a second of warm-up: long enough for tiered compilation to replace the first-call code of every layer.
    long warmup = Stopwatch.GetTimestamp();
    while (Stopwatch.GetElapsedTime(warmup).TotalMilliseconds < 500)
    {
        network.Forward(input, output, batch, scratch);
    }

    var times = new double[15];
    long allocated = GC.GetAllocatedBytesForCurrentThread();
    for (int r = 0; r < times.Length; r++)
    {
        int calls = batch == 1 ? 400 : 100;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            network.Forward(input, output, batch, scratch);
        }

        times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / calls;
    }

    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    Array.Sort(times);
    double median = times[times.Length / 2];
    Console.WriteLine($"batch {batch}: {median,8:0.0} us per forward ({median / batch:0.0} us per image, "
        + $"{2.0 * Digits.MultiplyAccumulates * batch / median / 1000:0.00} GFLOP/s), {allocated} bytes allocated in {times.Length} x {(batch == 1 ? 400 : 100)} calls");
}

static float Max(float[] values)
{
    float max = float.NegativeInfinity;
    foreach (float v in values)
    {
        max = Math.Max(max, v);
    }

    return max;
}

static float[] DrawSeven()
{
    var image = new float[28 * 28];
    for (int x = 6; x < 22; x++)
    {
        image[6 * 28 + x] = 1;
        image[7 * 28 + x] = 1;
    }

    for (int y = 8; y < 23; y++)
    {
        int x = 21 - (y - 8) * 9 / 14;
        image[y * 28 + x] = 1;
        image[y * 28 + x - 1] = 1;
    }

    return image;
}

// PyTorch's default for Conv2d and Linear: weights and biases uniform in +-1/sqrt(fan_in).
static void Initialize(Digits network, Random random)
{
    foreach ((string _, ILayer layer) in network.Modules())
    {
        if (layer is IConvLayer conv)
        {
            Fill(conv.Weights, conv.Bias, conv.Weights.Length / conv.OutChannels, random);
        }
        else if (layer is ILinearLayer linear)
        {
            Fill(linear.Weights, linear.Bias, linear.InFeatures, random);
        }
    }
}

static void Fill(Span<float> weights, Span<float> bias, int fanIn, Random random)
{
    float bound = 1f / MathF.Sqrt(fanIn);
    foreach (ref float w in weights)
    {
        w = (float)(random.NextDouble() * 2 - 1) * bound;
    }

    foreach (ref float b in bias)
    {
        b = (float)(random.NextDouble() * 2 - 1) * bound;
    }
}
