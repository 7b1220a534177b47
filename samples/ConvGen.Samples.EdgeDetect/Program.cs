using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;

namespace ConvGen.Samples.EdgeDetect;

/// <summary>
/// Edge detection with two generated layers: four 3x3 edge filters on a synthetic 256x256 image, then a stride-2
/// depthwise blur, stacked through <see cref="IConvLayer"/>. Writes the maps as PNG files, prints shapes, parameter
/// counts, receptive fields and timings, and checks the edge layer against <see cref="ConvReference"/>.
/// Usage: ConvGen.Samples.EdgeDetect [output-folder]   (default: out)
/// </summary>
internal static class Program
{
    private const int Size = 256;
    private const int WarmUpRuns = 20;
    private const double WarmUpSeconds = 0.5; // long enough for tiered JIT to install optimized code
    private const int TimedRuns = 50;
    private const double Tolerance = 1e-4;

    private static int Main(string[] args)
    {
        string outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "out");
        Directory.CreateDirectory(outDir);

        float[] image = SyntheticImage.Draw(Size, Size);
        EdgeFilters edges = EdgeFilters.Create();
        BlurDownsample down = BlurDownsample.Create();

        // The stack: each layer's output shape is the next layer's input shape.
        IConvLayer[] stack = { edges, down };
        var shapes = new TensorShape[stack.Length + 1];
        var buffers = new float[stack.Length + 1][];
        shapes[0] = new TensorShape(1, 1, Size, Size);
        buffers[0] = image;
        for (int i = 0; i < stack.Length; i++)
        {
            shapes[i + 1] = stack[i].GetOutputShape(shapes[i]);
            buffers[i + 1] = new float[shapes[i + 1].ElementCount];
        }

        RunStack(stack, shapes, buffers);

        Console.WriteLine("ConvGen edge detection sample");
        Console.WriteLine($"  kernel path       {SimdPath()} (Vector512 {Yes(Vector512.IsHardwareAccelerated)}, Vector256 {Yes(Vector256.IsHardwareAccelerated)}, Vector128 {Yes(Vector128.IsHardwareAccelerated)})");
        Console.WriteLine($"  runtime           .NET {Environment.Version}, {(System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT")}");
        Console.WriteLine($"  input             synthetic {Size}x{Size} grayscale image {shapes[0]}");
        Console.WriteLine();

        Describe("Layer 1: EdgeFilters", edges, shapes[0], shapes[1], EdgeFilters.ParameterCount, EdgeFilters.ReceptiveFieldH, EdgeFilters.ReceptiveFieldW);
        Console.WriteLine($"  channels          {string.Join(", ", EdgeFilters.ChannelNames)}");
        Console.WriteLine($"  static size       InH x InW = {EdgeFilters.InH}x{EdgeFilters.InW} -> OutH x OutW = {EdgeFilters.OutH}x{EdgeFilters.OutW} (constants)");
        Console.WriteLine($"  forward           {Ms(MedianTicks(edges, shapes[0], buffers[0], buffers[1]))} (median of {TimedRuns} runs after warm-up)");
        Console.WriteLine();

        Describe("Layer 2: BlurDownsample", down, shapes[1], shapes[2], BlurDownsample.ParameterCount, BlurDownsample.ReceptiveFieldH, BlurDownsample.ReceptiveFieldW);
        Console.WriteLine($"  filter            3x3 binomial blur per channel (depthwise, Groups = {BlurDownsample.Groups})");
        Console.WriteLine($"  forward           {Ms(MedianTicks(down, shapes[1], buffers[1], buffers[2]))} (median of {TimedRuns} runs after warm-up)");
        Console.WriteLine();

        int[] kernels = new int[stack.Length], dilations = new int[stack.Length], strides = new int[stack.Length];
        long parameters = 0;
        for (int i = 0; i < stack.Length; i++)
        {
            ConvGeometry g = stack[i].Geometry;
            (kernels[i], dilations[i], strides[i]) = (g.KernelH, g.DilationH, g.StrideH);
            parameters += g.ParameterCount;
        }

        long field = ConvArithmetic.ReceptiveField(kernels, dilations, strides);
        Console.WriteLine("Stack: EdgeFilters -> BlurDownsample");
        Console.WriteLine($"  shapes            {shapes[0]} -> {shapes[1]} -> {shapes[2]}");
        Console.WriteLine($"  parameters        {parameters}");
        Console.WriteLine($"  receptive field   {field}x{field} input pixels per output pixel");
        Console.WriteLine($"  forward           {Ms(MedianTicks(stack, shapes, buffers))} (median of {TimedRuns} runs after warm-up)");
        Console.WriteLine();

        // The reference runs on the same input and weights; the stack above has left the layers' outputs in buffers.
        RunStack(stack, shapes, buffers);
        double edgeDiff = MaxDifferenceFromReference(edges, buffers[0], shapes[0], buffers[1]);
        double downDiff = MaxDifferenceFromReference(down, buffers[1], shapes[1], buffers[2]);
        bool ok = edgeDiff <= Tolerance && downDiff <= Tolerance;
        Console.WriteLine("Check against ConvReference.Conv2d (tolerance 1e-4)");
        Console.WriteLine($"  EdgeFilters       max |difference| = {edgeDiff.ToString("0.00E+00", CultureInfo.InvariantCulture)} {(edgeDiff <= Tolerance ? "OK" : "FAIL")}");
        Console.WriteLine($"  BlurDownsample    max |difference| = {downDiff.ToString("0.00E+00", CultureInfo.InvariantCulture)} {(downDiff <= Tolerance ? "OK" : "FAIL")}");
        Console.WriteLine();

        Console.WriteLine($"PNG files in {outDir}");
        foreach (string path in WritePngs(outDir, shapes, buffers))
        {
            Console.WriteLine($"  {path}");
        }

        return ok ? 0 : 1;
    }

    private static void Describe(string title, IConvLayer layer, TensorShape input, TensorShape output, int parameterCount, int fieldH, int fieldW)
    {
        Console.WriteLine(title);
        Console.WriteLine($"  geometry          {layer.Geometry}");
        Console.WriteLine($"  input -> output   {input} -> {output}");
        Console.WriteLine($"  parameters        {parameterCount} ({layer.Weights.Length} weights + {layer.Bias.Length} biases)");
        Console.WriteLine($"  receptive field   {fieldH}x{fieldW}");
    }

    private static void RunStack(IConvLayer[] stack, TensorShape[] shapes, float[][] buffers)
    {
        for (int i = 0; i < stack.Length; i++)
        {
            stack[i].Forward(buffers[i], shapes[i], buffers[i + 1]);
        }
    }

    // Median wall time of one forward pass; the timed loop allocates nothing.
    private static long MedianTicks(IConvLayer layer, TensorShape shape, float[] input, float[] output)
    {
        long warmUpEnd = Stopwatch.GetTimestamp() + (long)(WarmUpSeconds * Stopwatch.Frequency);
        for (int i = 0; i < WarmUpRuns || Stopwatch.GetTimestamp() < warmUpEnd; i++)
        {
            layer.Forward(input, shape, output);
        }

        long[] ticks = new long[TimedRuns];
        for (int i = 0; i < TimedRuns; i++)
        {
            long start = Stopwatch.GetTimestamp();
            layer.Forward(input, shape, output);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        return ticks[TimedRuns / 2];
    }

    private static long MedianTicks(IConvLayer[] stack, TensorShape[] shapes, float[][] buffers)
    {
        long warmUpEnd = Stopwatch.GetTimestamp() + (long)(WarmUpSeconds * Stopwatch.Frequency);
        for (int i = 0; i < WarmUpRuns || Stopwatch.GetTimestamp() < warmUpEnd; i++)
        {
            RunStack(stack, shapes, buffers);
        }

        long[] ticks = new long[TimedRuns];
        for (int i = 0; i < TimedRuns; i++)
        {
            long start = Stopwatch.GetTimestamp();
            RunStack(stack, shapes, buffers);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        return ticks[TimedRuns / 2];
    }

    private static double MaxDifferenceFromReference(IConvLayer layer, float[] input, TensorShape shape, float[] output)
    {
        float[] expected = new float[output.Length];
        ConvReference.Conv2d(layer.Geometry, input, shape, layer.Weights, layer.Bias, expected);
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected[i] - output[i]));
        }

        return max;
    }

    private static List<string> WritePngs(string outDir, TensorShape[] shapes, float[][] buffers)
    {
        var written = new List<string>();
        void Write(string name, byte[] pixels, TensorShape shape)
        {
            string path = Path.Combine(outDir, name);
            PngWriter.WriteGray8(path, pixels, shape.W, shape.H);
            written.Add(path);
        }

        Write("input.png", FeatureMaps.FromUnit(buffers[0]), shapes[0]);
        for (int layer = 1; layer < buffers.Length; layer++)
        {
            TensorShape s = shapes[layer];
            int plane = s.H * s.W;
            string prefix = layer == 1 ? "edges" : "down";
            for (int c = 0; c < s.C; c++)
            {
                Write($"{prefix}-{c}-{EdgeFilters.ChannelNames[c]}.png", FeatureMaps.AbsoluteNormalized(buffers[layer].AsSpan(c * plane, plane)), s);
            }

            Write($"{prefix}-magnitude.png", FeatureMaps.Magnitude(buffers[layer].AsSpan(0, plane), buffers[layer].AsSpan(plane, plane)), s);
        }

        return written;
    }

    private static string SimdPath() =>
        Vector512.IsHardwareAccelerated ? "Vector512" :
        Vector256.IsHardwareAccelerated ? "Vector256" :
        Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";

    private static string Yes(bool value) => value ? "yes" : "no";

    private static string Ms(long ticks) =>
        (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
