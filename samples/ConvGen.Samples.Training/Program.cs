using System;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using ConvGen.Samples.Training;

// Usage: ConvGen.Samples.Training [--epochs N] [--batch N] [--out DIR] [--synthetic] [--limit N] [--seed N] [--data DIR]
// Trains on Fashion-MNIST (Debian package dataset-fashion-mnist), or on the synthetic shapes task when it is missing
// or with --synthetic, and writes PNG pictures to --out.
//
// PLACEHOLDER: the data loading, the progress bar and the pictures are final; the "training" between the markers is a
// nearest-class-mean baseline standing in for the CNN, to be replaced by the generated backward passes and an optimizer.
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

// ---- training: PLACEHOLDER (nearest class mean), to be replaced by the CNN --------------------------------------
// Each epoch runs over the training set in batches; every image is classified with the class means so far (logits
// -5 |x - mean_k|^2 per pixel, so the loss is a cross-entropy like the CNN's) and then added to its class's mean.
int size = train.SampleSize, classes = train.ClassCount;
var sums = new double[classes * size];
var counts = new int[classes];
var means = new float[classes * size];
var logits = new float[classes];
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    var bar = new ProgressBar($"epoch {epoch}/{options.Epochs}", train.Count, options.BatchSize);
    for (int start = 0; start < train.Count; start += options.BatchSize)
    {
        int n = Math.Min(options.BatchSize, train.Count - start);
        double loss = 0;
        int correct = 0;
        for (int i = start; i < start + n; i++)
        {
            loss += NearestMean.Classify(train.Image(i), means, counts, logits, train.Labels[i], out bool right);
            correct += right ? 1 : 0;
        }

        for (int i = start; i < start + n; i++)
        {
            NearestMean.Add(train.Image(i), train.Labels[i], sums, counts, means);
        }

        bar.Report(n, (float)(loss / n), correct);
    }

    bar.Finish();
}

var testBar = new ProgressBar("test", test.Count, 1000);
for (int start = 0; start < test.Count; start += 1000)
{
    int n = Math.Min(1000, test.Count - start);
    double loss = 0;
    int correct = 0;
    for (int i = start; i < start + n; i++)
    {
        loss += NearestMean.Classify(test.Image(i), means, counts, logits, test.Labels[i], out bool right);
        correct += right ? 1 : 0;
    }

    testBar.Report(n, (float)(loss / n), correct);
}

EpochSummary testSummary = testBar.Finish();
Console.WriteLine($"Test accuracy of the nearest-class-mean baseline: {testSummary.Accuracy * 100:0.00}% (the CNN should do far better)");
Console.WriteLine();
// ---- end of the placeholder -----------------------------------------------------------------------------------

string inputPath = Path.Combine(outDir, "input.png");
Pictures.InputImage(test, 0, inputPath, scale: 8);
string samplesPath = Path.Combine(outDir, "test-images.png");
int[] firstTwenty = new int[Math.Min(20, test.Count)];
for (int i = 0; i < firstTwenty.Length; i++)
{
    firstTwenty[i] = i;
}

Pictures.ImageGrid(test, firstTwenty, samplesPath, scale: 2, columns: 10);
string meansPath = Path.Combine(outDir, "class-means.png");
Pictures.FeatureMaps(means, classes, train.Height, train.Width, meansPath, scale: 4, columns: 5);
Console.WriteLine($"PNG files in {outDir}");
Console.WriteLine($"  {inputPath}   (test image 0, class {test.Labels[0]}: {test.ClassNames[test.Labels[0]]})");
Console.WriteLine($"  {samplesPath}");
Console.WriteLine($"  {meansPath}");
return 0;

/// <summary>The placeholder classifier: running per-class mean images.</summary>
internal static class NearestMean
{
    /// <summary>Classifies <paramref name="image"/> by its distance to each class mean and returns the cross-entropy
    /// of the logits -5 d² per pixel against <paramref name="label"/>; a class without images yet scores -inf.</summary>
    public static double Classify(ReadOnlySpan<float> image, float[] means, int[] counts, float[] logits, int label, out bool correct)
    {
        int size = image.Length;
        float max = float.NegativeInfinity;
        int best = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            float d = 0;
            ReadOnlySpan<float> mean = means.AsSpan(k * size, size);
            for (int p = 0; p < size; p++)
            {
                float e = image[p] - mean[p];
                d += e * e;
            }

            logits[k] = counts[k] > 0 ? -5f * d / size : float.NegativeInfinity;
            if (logits[k] > max)
            {
                max = logits[k];
                best = k;
            }
        }

        correct = best == label && !float.IsNegativeInfinity(max);
        if (float.IsNegativeInfinity(max))
        {
            return Math.Log(counts.Length); // nothing seen yet: uniform
        }

        double sum = 0;
        foreach (float l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return float.IsNegativeInfinity(logits[label]) ? 30.0 : Math.Log(sum) - (logits[label] - max);
    }

    public static void Add(ReadOnlySpan<float> image, int label, double[] sums, int[] counts, float[] means)
    {
        int size = image.Length;
        counts[label]++;
        for (int p = 0; p < size; p++)
        {
            double s = sums[label * size + p] += image[p];
            means[label * size + p] = (float)(s / counts[label]);
        }
    }
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
