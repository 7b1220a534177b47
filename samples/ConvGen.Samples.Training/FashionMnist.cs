using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Samples.Training;

/// <summary>
/// A labelled image set in memory: <see cref="Count"/> images of <see cref="Channels"/> x <see cref="Height"/> x
/// <see cref="Width"/> floats, NCHW, one after the other in <see cref="Images"/> (already normalised with
/// <see cref="Mean"/> and <see cref="Std"/>), and one class index per image in <see cref="Labels"/>.
/// </summary>
internal sealed class Dataset
{
    /// <summary>Wraps the arrays (not copied) after checking that their lengths agree with the shape.</summary>
    public Dataset(string name, float[] images, int[] labels, int channels, int height, int width,
                   IReadOnlyList<string> classNames, float mean, float std)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (channels <= 0 || height <= 0 || width <= 0)
        {
            throw new ArgumentException($"Image shape {channels}x{height}x{width} is not positive.");
        }

        if (images.Length != (long)labels.Length * channels * height * width)
        {
            throw new ArgumentException($"{images.Length} floats are not {labels.Length} images of {channels}x{height}x{width}.", nameof(images));
        }

        Name = name;
        Images = images;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
        Mean = mean;
        Std = std;
    }

    /// <summary>What the set is, e.g. "Fashion-MNIST train" (for messages).</summary>
    public string Name { get; }

    /// <summary>All images, NCHW: image <c>i</c> is <c>Images[i * SampleSize .. (i + 1) * SampleSize]</c>.</summary>
    public float[] Images { get; }

    /// <summary>The class index of each image, in 0 .. <see cref="ClassCount"/> - 1.</summary>
    public int[] Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image (1: grayscale).</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Floats per image: <see cref="Channels"/> x <see cref="Height"/> x <see cref="Width"/>.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <summary>The TensorShape of <paramref name="batch"/> images.</summary>
    public TensorShape Shape(int batch) => new(batch, Channels, Height, Width);

    /// <summary>The class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The mean subtracted from pixels in [0, 1]: a stored value <c>v</c> is the pixel <c>v * Std + Mean</c>.</summary>
    public float Mean { get; }

    /// <summary>The standard deviation the pixels were divided by after subtracting <see cref="Mean"/>.</summary>
    public float Std { get; }

    /// <summary>Image <paramref name="index"/>'s <see cref="SampleSize"/> floats.</summary>
    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(checked(index * SampleSize), SampleSize);

    /// <summary>The first <paramref name="count"/> images (copied), or this set if it has no more than that.</summary>
    public Dataset Take(int count)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count cannot be negative.");
        }

        if (count >= Count)
        {
            return this;
        }

        return new Dataset($"{Name} (first {count})", Images.AsSpan(0, count * SampleSize).ToArray(), Labels.AsSpan(0, count).ToArray(),
                           Channels, Height, Width, ClassNames, Mean, Std);
    }

    /// <summary>How many images of each class the set holds.</summary>
    public int[] ClassCounts()
    {
        int[] counts = new int[ClassCount];
        foreach (int label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }
}

/// <summary>
/// Loads Fashion-MNIST (Zalando's 28x28 grayscale clothing images, 60,000 for training and 10,000 for testing, 10
/// classes) from the gzip'ed IDX files of the Debian package <c>dataset-fashion-mnist</c>.
/// </summary>
internal static class FashionMnist
{
    /// <summary>Where the Debian package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The environment variable that overrides <see cref="DefaultDirectory"/> (a command-line option overrides both).</summary>
    public const string EnvironmentVariable = "CONVGEN_FASHION_MNIST";

    /// <summary>How to get the files.</summary>
    public const string InstallHint = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The training set's pixel mean, for pixels scaled to [0, 1].</summary>
    public const float Mean = 0.2860f;

    /// <summary>The training set's pixel standard deviation, for pixels scaled to [0, 1].</summary>
    public const float Std = 0.3530f;

    public const int ImageHeight = 28;
    public const int ImageWidth = 28;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    private const int ImagesMagic = 0x00000803; // unsigned byte data, 3 dimensions
    private const int LabelsMagic = 0x00000801; // unsigned byte data, 1 dimension

    /// <summary>The directory to read: <paramref name="directory"/> if given, else $CONVGEN_FASHION_MNIST if set, else the default.</summary>
    public static string ResolveDirectory(string? directory)
    {
        if (!string.IsNullOrEmpty(directory))
        {
            return directory;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultDirectory : fromEnvironment;
    }

    /// <summary>
    /// Loads both sets from <paramref name="directory"/> (resolved with <see cref="ResolveDirectory"/>). Returns false,
    /// with the reason and the way to install the package in <paramref name="whyNot"/>, when a file is missing.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is there but is not a valid gzip'ed IDX file of the expected kind
    /// and size; the message names the file and what is wrong. A corrupt download is not silently replaced by the
    /// synthetic task.</exception>
    public static bool TryLoad(string? directory, out Dataset train, out Dataset test, out string whyNot)
    {
        string dir = ResolveDirectory(directory);
        string[] files =
        {
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        };
        var missing = new List<string>();
        foreach (string file in files)
        {
            if (!File.Exists(Path.Combine(dir, file)))
            {
                missing.Add(file);
            }
        }

        if (missing.Count > 0)
        {
            train = null!;
            test = null!;
            whyNot = (Directory.Exists(dir) ? $"{dir} lacks {string.Join(", ", missing)}" : $"{dir} does not exist")
                + $". Install Fashion-MNIST with `{InstallHint}`, or point ${EnvironmentVariable} or --data at a directory holding the four gzip'ed IDX files.";
            return false;
        }

        train = Load(Path.Combine(dir, files[0]), Path.Combine(dir, files[1]), "Fashion-MNIST train");
        test = Load(Path.Combine(dir, files[2]), Path.Combine(dir, files[3]), "Fashion-MNIST test");
        whyNot = "";
        return true;
    }

    /// <summary>Loads one image file and its label file into a normalised <see cref="Dataset"/>.</summary>
    /// <exception cref="InvalidDataException">Either file is corrupt, or they disagree on the number of images.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, string name)
    {
        byte[] pixels = ReadIdx(imagesPath, ImagesMagic, out int[] imageDims);
        byte[] labelBytes = ReadIdx(labelsPath, LabelsMagic, out int[] labelDims);
        if (imageDims[1] != ImageHeight || imageDims[2] != ImageWidth)
        {
            throw new InvalidDataException($"{imagesPath}: images are {imageDims[1]}x{imageDims[2]}, expected {ImageHeight}x{ImageWidth}.");
        }

        if (labelDims[0] != imageDims[0])
        {
            throw new InvalidDataException($"{labelsPath} holds {labelDims[0]} labels but {imagesPath} holds {imageDims[0]} images.");
        }

        int[] labels = new int[labelBytes.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] >= ClassNames.Count)
            {
                throw new InvalidDataException($"{labelsPath}: label {i} is {labelBytes[i]}, not a class index below {ClassNames.Count}.");
            }

            labels[i] = labelBytes[i];
        }

        // x / 255 in [0, 1], then (x - mean) / std: one multiply-add per pixel through a 256-entry table.
        Span<float> table = stackalloc float[256];
        for (int v = 0; v < 256; v++)
        {
            table[v] = (v / 255f - Mean) / Std;
        }

        float[] images = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            images[i] = table[pixels[i]];
        }

        return new Dataset(name, images, labels, 1, ImageHeight, ImageWidth, ClassNames, Mean, Std);
    }

    /// <summary>
    /// Reads a gzip'ed IDX file of unsigned bytes: big-endian magic (0x0000 08 D, D = number of dimensions), D
    /// big-endian sizes, then the product of the sizes in bytes and nothing more.
    /// </summary>
    private static byte[] ReadIdx(string path, int expectedMagic, out int[] dims)
    {
        try
        {
            using FileStream file = File.OpenRead(path);
            using GZipStream gzip = new(file, CompressionMode.Decompress);
            Span<byte> word = stackalloc byte[4];
            ReadExactly(gzip, word, path, "magic number");
            int magic = BinaryPrimitives.ReadInt32BigEndian(word);
            if (magic != expectedMagic)
            {
                throw new InvalidDataException($"{path}: IDX magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} "
                    + $"(unsigned bytes, {expectedMagic & 0xFF} dimension(s)); is it the right file, decompressed once?");
            }

            dims = new int[expectedMagic & 0xFF];
            long count = 1;
            for (int d = 0; d < dims.Length; d++)
            {
                ReadExactly(gzip, word, path, $"size {d} in the header");
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[d] <= 0)
                {
                    throw new InvalidDataException($"{path}: dimension {d} has size {dims[d]}.");
                }

                count *= dims[d];
            }

            if (count > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: the header announces {count:N0} bytes of data, more than an array holds.");
            }

            byte[] data = new byte[count];
            ReadExactly(gzip, data, path, $"data its header [{string.Join(", ", dims)}] announces");
            if (gzip.ReadByte() >= 0)
            {
                throw new InvalidDataException($"{path}: more data follows the {count:N0} bytes its header [{string.Join(", ", dims)}] announces.");
            }

            return data;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // GZipStream's own complaint (bad header, bad deflate data, bad CRC): say which file.
            throw new InvalidDataException($"{path}: not a valid gzip file ({e.Message})", e);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                throw new InvalidDataException($"{path}: the file ends after {total:N0} of the {buffer.Length:N0} bytes of {what} (truncated?).");
            }

            total += read;
        }
    }
}
