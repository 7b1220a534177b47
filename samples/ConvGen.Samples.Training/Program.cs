using System;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using ConvGen;
using ConvGen.Samples.Training;
using ConvGen.Training;

// Usage: ConvGen.Samples.Training [--epochs N] [--batch N] [--out DIR] [--synthetic] [--limit N] [--seed N] [--data DIR]
// Trains on Fashion-MNIST (Debian package dataset-fashion-mnist), or on the synthetic shapes task when it is missing
// or with --synthetic, and writes PNG pictures to --out.
//
if (!Options.TryParse(args, out Options options, out string? problem))
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

Dataset train, test;
string source;
try
{
    string whyNot = "--synthetic";
    if (!options.Synthetic && FashionMnist.TryLoad(options.DataDirectory, out train, out test, out whyNot))
    {
        source = $"Fashion-MNIST from {FashionMnist.ResolveDirectory(options.DataDirectory)}";
    }
    else
    {
        if (!options.Synthetic)
        {
            Console.WriteLine($"Fashion-MNIST not found: {whyNot}");
            Console.WriteLine($"Falling back to the synthetic shapes task ({SyntheticTask.DefaultTrainCount:N0} + {SyntheticTask.DefaultTestCount:N0} images, seed {options.Seed}).");
            Console.WriteLine();
        }

        (train, test) = SyntheticTask.Create(SyntheticTask.DefaultTrainCount, SyntheticTask.DefaultTestCount, (ulong)options.Seed);
        source = $"synthetic shapes (seed {options.Seed}{(options.Synthetic ? ", --synthetic" : ", Fashion-MNIST not installed")})";
    }
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

int fullTrainCount = train.Count;
if (options.Limit is int limit)
{
    train = train.Take(limit);
}

string outDir = Path.GetFullPath(options.OutputDirectory);
Directory.CreateDirectory(outDir);

Console.WriteLine("ConvGen training sample");
Console.WriteLine($"  runtime           .NET {Environment.Version}, {(System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT")}, "
    + $"Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}, {Environment.ProcessorCount} cores");
Console.WriteLine($"  data              {source}");
Console.WriteLine($"  train             {train.Count:N0} images{(train.Count < fullTrainCount ? $" (--limit; {fullTrainCount:N0} available)" : "")} {train.Shape(train.Count)}");
Console.WriteLine($"  test              {test.Count:N0} images {test.Shape(test.Count)}");
Console.WriteLine($"  normalisation     (pixel - {train.Mean:0.0000}) / {train.Std:0.0000}");
Console.WriteLine($"  classes           {string.Join(", ", train.ClassNames)}");
Console.WriteLine($"  epochs, batch     {options.Epochs}, {options.BatchSize} (seed {options.Seed})");
Console.WriteLine();

// ---- training ---------------------------------------------------------------------------------------------------
// The network's forward and backward kernels were generated at build time for exactly these shapes (FashionNet.cs).
// Weights start as PyTorch initialises them (Kaiming uniform) from the seed; batches are shuffled from the same seed,
// so a run repeats exactly.
var network = new FashionNet();
var random = new TrainingRandom((ulong)options.Seed);
Initialization.KaimingUniform(network.Parameters, random);
var optimizer = new Adam(network.Parameters, learningRate: 1e-3f);
var trainer = new Trainer(network, optimizer, options.BatchSize);
Console.WriteLine(FashionNet.Summary);
Console.WriteLine();
Console.WriteLine($"Training with Adam (lr 1e-3), softmax cross-entropy, {options.BatchSize} images per step.");

int size = train.SampleSize;
var batches = new MiniBatches(train.Count, options.BatchSize, random, shuffle: true);
var inputs = new float[options.BatchSize * size];
var labels = new int[options.BatchSize];
var clock = System.Diagnostics.Stopwatch.StartNew();
EpochSummary testSummary = default;
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    var bar = new ProgressBar($"epoch {epoch}/{options.Epochs}", train.Count, options.BatchSize);
    foreach (MiniBatch batch in batches.NextEpoch())
    {
        MiniBatches.Gather(train.Images, size, batch.Indices, inputs.AsSpan(0, batch.Count * size));
        MiniBatches.Gather(train.Labels, 1, batch.Indices, labels.AsSpan(0, batch.Count));
        StepResult step;
        try
        {
            step = trainer.Step(inputs.AsSpan(0, batch.Count * size), labels.AsSpan(0, batch.Count), batch.Count);
        }
        catch (TrainingDivergedException e)
        {
            // The step that produced NaN/Inf was not applied: what is saved below is the last good network.
            bar.Finish();
            Console.Error.WriteLine(e.Message);
            SaveWeights(network, outDir);
            return 3;
        }

        bar.Report(batch.Count, step.Loss, step.Correct);
    }

    bar.Finish();
    testSummary = Evaluate(network, test);
    Console.WriteLine($"  test: loss {testSummary.Loss:0.0000}, accuracy {testSummary.Accuracy * 100:0.00}% ({clock.Elapsed.TotalSeconds:0.0} s since training began)");
}

Console.WriteLine();
Console.WriteLine($"Test accuracy: {testSummary.Accuracy * 100:0.00}% after {options.Epochs} epoch(s), {clock.Elapsed.TotalSeconds:0.0} s of training and testing");
string weightsPath = SaveWeights(network, outDir);

// ---- pictures: what the first layer learned, and what it makes of one image -----------------------------------------
(string Name, ILayer Layer)[] modules = network.Modules();
var conv1 = (IConvLayer)modules[0].Layer;
string filtersPath = Path.Combine(outDir, "conv1-filters.png");
Pictures.FilterGrid(conv1.Weights, conv1.OutChannels, conv1.InChannels, conv1.Geometry.KernelH, conv1.Geometry.KernelW, filtersPath, scale: 16, columns: 8);
string inputPath = Path.Combine(outDir, "input.png");
Pictures.InputImage(test, 0, inputPath, scale: 8);
TensorShape imageShape = test.Shape(1);
var conv1Maps = new float[conv1.GetOutputShape(imageShape).ElementCount];
conv1.Forward(test.Image(0), imageShape, conv1Maps);
string conv1MapsPath = Path.Combine(outDir, "conv1-feature-maps.png");
Pictures.FeatureMaps(conv1Maps, conv1.OutChannels, train.Height, train.Width, conv1MapsPath, scale: 4, columns: 8);
var pool1 = modules[1].Layer;
TensorShape pooledShape = pool1.GetOutputShape(conv1.GetOutputShape(imageShape));
var pooled = new float[pooledShape.ElementCount];
pool1.Forward(conv1Maps, conv1.GetOutputShape(imageShape), pooled);
var conv2 = (IConvLayer)modules[2].Layer;
TensorShape conv2Shape = conv2.GetOutputShape(pooledShape);
var conv2Maps = new float[conv2Shape.ElementCount];
conv2.Forward(pooled, pooledShape, conv2Maps);
string conv2MapsPath = Path.Combine(outDir, "conv2-feature-maps.png");
Pictures.FeatureMaps(conv2Maps, conv2.OutChannels, conv2Shape.H, conv2Shape.W, conv2MapsPath, scale: 6, columns: 8);
string samplesPath = Path.Combine(outDir, "test-images.png");
int[] firstTwenty = new int[Math.Min(20, test.Count)];
for (int i = 0; i < firstTwenty.Length; i++)
{
    firstTwenty[i] = i;
}

Pictures.ImageGrid(test, firstTwenty, samplesPath, scale: 2, columns: 10);
Console.WriteLine($"Files in {outDir}");
Console.WriteLine($"  {weightsPath}   (PyTorch state_dict names: torch.nn.Module.load_state_dict reads it)");
Console.WriteLine($"  {filtersPath}   (the 16 learned 3x3 filters of conv1)");
Console.WriteLine($"  {inputPath}   (test image 0, class {test.Labels[0]}: {test.ClassNames[test.Labels[0]]})");
Console.WriteLine($"  {conv1MapsPath}   (conv1's 16 feature maps of that image)");
Console.WriteLine($"  {conv2MapsPath}   (conv2's 32 feature maps of it)");
Console.WriteLine($"  {samplesPath}");
return 0;

static string SaveWeights(FashionNet network, string outDir)
{
    string path = Path.Combine(outDir, "fashion-cnn.safetensors");
    using (FileStream file = File.Create(path))
    {
        network.SaveSafeTensors(file);
    }

    return path;
}

static EpochSummary Evaluate(FashionNet network, Dataset data)
{
    const int Chunk = 500;
    var bar = new ProgressBar("  test", data.Count, Chunk, inPlace: false, output: TextWriter.Null);
    var logits = new float[Chunk * FashionNet.OutputSize];
    for (int start = 0; start < data.Count; start += Chunk)
    {
        int n = Math.Min(Chunk, data.Count - start);
        Span<float> output = logits.AsSpan(0, n * FashionNet.OutputSize);
        network.Forward(data.Images.AsSpan(start * data.SampleSize, n * data.SampleSize), output, n);
        ReadOnlySpan<int> labels = data.Labels.AsSpan(start, n);
        float loss = Losses.SoftmaxCrossEntropy(output, labels, FashionNet.OutputSize, Span<float>.Empty);
        bar.Report(n, loss, Losses.CountCorrect(output, labels, FashionNet.OutputSize));
    }

    return bar.Finish();
}

/// <summary>The command line.</summary>
internal sealed class Options
{
    public const string Usage =
        "Usage: ConvGen.Samples.Training [options]\n"
        + "  --epochs N     passes over the training set (default 3)\n"
        + "  --batch N      images per training step (default 32)\n"
        + "  --out DIR      where the PNG files go (default training-output)\n"
        + "  --synthetic    train on the synthetic shapes task even when Fashion-MNIST is installed\n"
        + "  --limit N      use only the first N training images (a quick smoke test)\n"
        + "  --seed N       seed of the initialisation, the shuffling and the synthetic task (default 1)\n"
        + "  --data DIR     the Fashion-MNIST directory (default $" + FashionMnist.EnvironmentVariable + ", else " + FashionMnist.DefaultDirectory + ")\n"
        + "Fashion-MNIST: " + FashionMnist.InstallHint;

    public int Epochs { get; private set; } = 3;

    public int BatchSize { get; private set; } = 32;

    public string OutputDirectory { get; private set; } = "training-output";

    public bool Synthetic { get; private set; }

    public int? Limit { get; private set; }

    public int Seed { get; private set; } = 1;

    public string? DataDirectory { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Reads "--name value" and "--name=value" options; false with the problem for anything else.</summary>
    public static bool TryParse(string[] args, out Options options, out string? problem)
    {
        options = new Options();
        problem = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i], value = "";
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            bool inline = name.StartsWith("--", StringComparison.Ordinal) && equals > 0;
            if (inline)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            switch (name)
            {
                case "--synthetic":
                    options.Synthetic = true;
                    continue;
                case "-h" or "--help":
                    options.Help = true;
                    continue;
                case "--epochs" or "--batch" or "--out" or "--limit" or "--seed" or "--data":
                    if (!inline)
                    {
                        if (i + 1 >= args.Length)
                        {
                            problem = $"{name} needs a value.";
                            return false;
                        }

                        value = args[++i];
                    }

                    break;
                default:
                    problem = $"Unknown argument '{args[i]}'.";
                    return false;
            }

            if (name is "--out" or "--data")
            {
                if (value.Length == 0)
                {
                    problem = $"{name} needs a directory.";
                    return false;
                }

                if (name == "--out")
                {
                    options.OutputDirectory = value;
                }
                else
                {
                    options.DataDirectory = value;
                }

                continue;
            }

            int min = name == "--seed" ? 0 : 1;
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) || number < min)
            {
                problem = $"{name} needs {(min == 0 ? "a non-negative" : "a positive")} integer, not '{value}'.";
                return false;
            }

            switch (name)
            {
                case "--epochs":
                    options.Epochs = number;
                    break;
                case "--batch":
                    options.BatchSize = number;
                    break;
                case "--limit":
                    options.Limit = number;
                    break;
                default:
                    options.Seed = number;
                    break;
            }
        }

        return true;
    }
}
