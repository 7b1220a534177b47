using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// <see cref="ConvReference"/> against PyTorch: the cases in Data/torch_cases.json were computed by torch's own
/// Conv1d/2d/3d, ConvTranspose1d/2d/3d, padding modes, padding='same'/'valid' and activations (see
/// Data/make_torch_cases.py), so they pin the oracle to an independent implementation of the same definitions.
/// </summary>
public class TorchParityTests
{
    private static readonly Lazy<Dictionary<string, TorchCase>> s_cases = new(Load);

    private sealed record TorchCase(ConformanceCase Case, string Kind, int Dimensions, string Rule, string Mode, string Activation);

    public static TheoryData<string> CaseNames => new(s_cases.Value.Keys);

    /// <summary>The case named <paramref name="name"/>, for the tests that reuse PyTorch's cases.</summary>
    internal static ConformanceCase Case(string name) => s_cases.Value[name].Case;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reference_matches_pytorch(string name)
    {
        ConformanceCase c = s_cases.Value[name].Case;

        (TensorShape shape, float[] actual) = Conformance.Reference(c.Geometry, c.Weights, c.Bias, c.Input, c.InputShape);

        Assert.Equal(c.OutputShape, shape);
        Tensors.AssertClose(c.Expected, actual, name + " " + c.Geometry);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void General_layer_matches_pytorch(string name)
    {
        ConformanceCase c = s_cases.Value[name].Case;

        (TensorShape shape, float[] actual) = Conformance.Layer(ConvLayers.Create)(c.Geometry, c.Weights, c.Bias, c.Input, c.InputShape);

        Assert.Equal(c.OutputShape, shape);
        Tensors.AssertClose(c.Expected, actual, name + " " + c.Geometry);
    }

    [Fact]
    public void The_pytorch_cases_cover_every_kind_dimension_padding_rule_mode_and_activation()
    {
        // A regenerated file that lost a family would otherwise pass silently with fewer cases.
        TorchCase[] all = [.. s_cases.Value.Values];

        Assert.Equal(
            ["conv 1", "conv 2", "conv 3", "separable 2", "transposed 1", "transposed 2", "transposed 3"],
            all.Select(c => c.Kind + " " + c.Dimensions).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["explicit", "same", "valid"], all.Select(c => c.Rule).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["circular", "reflect", "replicate", "zeros"], all.Select(c => c.Mode).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["leaky_relu", "none", "relu", "relu6", "sigmoid", "silu", "tanh"],
            all.Select(c => c.Activation).Distinct().Order(StringComparer.Ordinal));
        foreach (string mode in new[] { "reflect", "replicate", "circular" })
        {
            Assert.Equal([1, 2, 3], all.Where(c => c.Mode == mode && c.Kind == "conv").Select(c => c.Dimensions).Distinct().Order());
        }
    }

    private static Dictionary<string, TorchCase> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "torch_cases.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new Dictionary<string, TorchCase>(StringComparer.Ordinal);
        foreach (JsonElement e in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            TorchCase c = Parse(e);
            cases.Add(e.GetProperty("name").GetString()!, c);
        }

        return cases;
    }

    private static TorchCase Parse(JsonElement e)
    {
        int dims = e.GetProperty("dims").GetInt32();
        string kind = e.GetProperty("kind").GetString()!, rule = e.GetProperty("rule").GetString()!;
        string mode = e.GetProperty("mode").GetString()!, activation = e.GetProperty("activation").GetString()!;
        int[] k = Axes(e, "kernel", 1), s = Axes(e, "stride", 1), d = Axes(e, "dilation", 1);
        int[] pb = Axes(e, "pad_begin", 0), pe = Axes(e, "pad_end", 0), op = Axes(e, "output_padding", 0);
        float[] bias = Floats(e, "bias");
        ConvGeometry g = new ConvGeometry(e.GetProperty("in").GetInt32(), e.GetProperty("out").GetInt32(), k[1], k[2], s[1], s[2],
            DilationH: d[1], DilationW: d[2], Groups: e.GetProperty("groups").GetInt32(), HasBias: bias.Length != 0) with
        {
            Kind = kind switch { "transposed" => ConvKind.Transposed, "separable" => ConvKind.Separable, _ => ConvKind.Convolution },
            Dimensions = dims,
            KernelD = k[0], StrideD = s[0], DilationD = d[0],
            PadFront = pb[0], PadBack = pe[0], PadTop = pb[1], PadBottom = pe[1], PadLeft = pb[2], PadRight = pe[2],
            OutputPadD = op[0], OutputPadH = op[1], OutputPadW = op[2],
            DepthMultiplier = e.GetProperty("multiplier").GetInt32(),
            PaddingRule = rule switch { "same" => PaddingRule.Same, "valid" => PaddingRule.Valid, _ => PaddingRule.Explicit },
            PaddingMode = mode switch
            {
                "reflect" => PaddingMode.Reflect, "replicate" => PaddingMode.Replicate, "circular" => PaddingMode.Circular, _ => PaddingMode.Zeros,
            },
            Activation = activation switch
            {
                "relu" => Activation.ReLU, "relu6" => Activation.ReLU6, "leaky_relu" => Activation.LeakyReLU,
                "sigmoid" => Activation.Sigmoid, "tanh" => Activation.Tanh, "silu" => Activation.SiLU, _ => Activation.None,
            },
            NegativeSlope = (float)e.GetProperty("negative_slope").GetDouble(),
        };
        var c = new ConformanceCase(g, Shape(e, "input_shape"), Floats(e, "input"), Floats(e, "weights"), bias,
            Shape(e, "output_shape"), Floats(e, "output"));
        return new TorchCase(c, kind, dims, rule, mode, activation);
    }

    // The file lists (depth, height, width) values for the axes a layer has; the missing leading axes are neutral.
    private static int[] Axes(JsonElement e, string property, int neutral)
    {
        int[] given = [.. e.GetProperty(property).EnumerateArray().Select(v => v.GetInt32())];
        return [.. Enumerable.Repeat(neutral, 3 - given.Length), .. given];
    }

    // Parsed as double then rounded, as Python's float → torch float conversion does.
    private static float[] Floats(JsonElement e, string property)
        => [.. e.GetProperty(property).EnumerateArray().Select(v => (float)v.GetDouble())];

    private static TensorShape Shape(JsonElement e, string property)
    {
        int[] s = [.. e.GetProperty(property).EnumerateArray().Select(v => v.GetInt32())];
        return s.Length switch
        {
            3 => new TensorShape(s[0], s[1], s[2]),
            5 => new TensorShape(s[0], s[1], s[2], s[3], s[4]),
            _ => new TensorShape(s[0], s[1], s[2], s[3]),
        };
    }
}
