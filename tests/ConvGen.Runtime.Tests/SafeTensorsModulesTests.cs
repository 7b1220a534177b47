using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Whole networks' modules in and out of safetensors by PyTorch name: convolution layers as in LoadLayers, linear
/// layers as <c>nn.Linear</c> (<c>weight</c> [out, in], <c>bias</c> [out]), parameter-free layers contribute nothing,
/// and a file that does not fit is refused listing every problem, loading nothing.
/// </summary>
public class SafeTensorsModulesTests
{
    private static (string Name, ILayer Layer)[] Network(IConvLayer conv, TestLinear fc, TestLinear head) => new (string, ILayer)[]
    {
        ("conv1", conv), ("pool", new GlobalAvgPool()), ("flatten", new Flatten()), ("fc", fc), ("head", head),
    };

    private static (string Name, ILayer Layer)[] RandomNetwork(int seed)
    {
        IConvLayer conv = Conv2d.Create(1, 4, 3);
        var fc = new TestLinear(4, 3);
        var head = new TestLinear(3, 2, bias: false);
        var rng = new Random(seed);
        Tensors.Random(rng, conv.Weights.Length).CopyTo(conv.Weights);
        Tensors.Random(rng, conv.Bias.Length).CopyTo(conv.Bias);
        Tensors.Random(rng, fc.Weights.Length).CopyTo(fc.Weights);
        Tensors.Random(rng, fc.Bias.Length).CopyTo(fc.Bias);
        Tensors.Random(rng, head.Weights.Length).CopyTo(head.Weights);
        return Network(conv, fc, head);
    }

    private static byte[] Save(IReadOnlyList<(string Name, ILayer Layer)> modules)
    {
        using var stream = new MemoryStream();
        SafeTensors.SaveModules(stream, modules);
        return stream.ToArray();
    }

    private static float[] WeightsOf(ILayer layer) => layer switch
    {
        IConvLayer c => c.Weights.ToArray(),
        ILinearLayer l => l.Weights.ToArray(),
        _ => Array.Empty<float>(),
    };

    private static float[] BiasOf(ILayer layer) => layer switch
    {
        IConvLayer c => c.Bias.ToArray(),
        ILinearLayer l => l.Bias.ToArray(),
        _ => Array.Empty<float>(),
    };

    private static string Describe(IEnumerable<(string Name, int[] Shape)> tensors)
        => string.Join("; ", tensors.Select(t => t.Name + " [" + string.Join(", ", t.Shape) + "]"));

    [Fact]
    public void DescribeModules_lists_each_parameter_tensor_with_its_pytorch_shape_in_module_order()
    {
        Assert.Equal("conv1.weight [4, 1, 3, 3]; conv1.bias [4]; fc.weight [3, 4]; fc.bias [3]; head.weight [2, 3]",
            Describe(SafeTensors.DescribeModules(RandomNetwork(1))));
    }

    [Fact]
    public void Saved_modules_write_exactly_the_described_tensors_and_load_back_unchanged()
    {
        (string Name, ILayer Layer)[] saved = RandomNetwork(2);
        byte[] file = Save(saved);

        Assert.Equal(Describe(SafeTensors.DescribeModules(saved)),
            Describe(SafeTensors.Describe(file).Select(t => (t.Name, t.Shape.Select(d => (int)d).ToArray()))));

        (string Name, ILayer Layer)[] fresh = Network(Conv2d.Create(1, 4, 3), new TestLinear(4, 3), new TestLinear(3, 2, bias: false));
        SafeTensors.LoadModules(file, fresh, allowUnused: false);
        for (int i = 0; i < saved.Length; i++)
        {
            Assert.Equal(WeightsOf(saved[i].Layer), WeightsOf(fresh[i].Layer));
            Assert.Equal(BiasOf(saved[i].Layer), BiasOf(fresh[i].Layer));
        }
    }

    [Fact]
    public void A_linear_weight_is_stored_row_major_as_out_features_by_in_features()
    {
        var fc = new TestLinear(3, 2);
        new float[] { 1, 2, 3, 4, 5, 6 }.CopyTo(fc.Weights);
        new float[] { 7, 8 }.CopyTo(fc.Bias);
        byte[] file = Save(new (string, ILayer)[] { ("classifier.1", fc) });

        var weight = new float[6];
        var bias = new float[2];
        SafeTensors.Load(file, new NamedParameter[] { new("classifier.1.weight", new[] { 2, 3 }, weight), new("classifier.1.bias", new[] { 2 }, bias) },
            allowUnused: false);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, weight);
        Assert.Equal(new float[] { 7, 8 }, bias);
    }

    [Fact]
    public void A_file_that_does_not_fit_is_refused_listing_every_problem_and_nothing_loads()
    {
        byte[] file = Save(RandomNetwork(3));
        IConvLayer conv = Conv2d.Create(1, 4, 3);
        var fc = new TestLinear(5, 3); // the file's fc takes 4 features
        var head = new TestLinear(3, 2, bias: true); // the file's head has no bias
        (string Name, ILayer Layer)[] modules =
        {
            ("conv1", conv), ("fc", fc), ("head", head), ("extra", new TestLinear(2, 2, bias: false)),
        };

        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadModules(file, modules));
        Assert.Contains("'fc.weight': expected F32 [3, 5], found F32 [3, 4]", e.Message);
        Assert.Contains("'head.bias': expected F32 [2], missing from the file", e.Message);
        Assert.Contains("'extra.weight': expected F32 [2, 2], missing from the file", e.Message);
        Assert.Contains("nothing was loaded", e.Message);
        Assert.DoesNotContain("conv1", e.Message); // conv1 fits, and would have loaded, but did not
        Assert.All(conv.Weights.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(fc.Bias.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_renamed_module_is_reported_missing_next_to_the_file_tensors_nothing_took()
    {
        byte[] file = Save(RandomNetwork(6));
        (string Name, ILayer Layer)[] modules =
        {
            ("conv1", Conv2d.Create(1, 4, 3)), ("fc1", new TestLinear(4, 3)), ("head", new TestLinear(3, 2, bias: false)),
        };

        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadModules(file, modules));
        Assert.Contains("'fc1.weight': expected F32 [3, 4], missing from the file", e.Message);
        Assert.Contains("'fc1.bias': expected F32 [3], missing from the file", e.Message);
        Assert.Contains("(allowed) the file has tensors no parameter takes: fc.weight, fc.bias", e.Message);
    }

    [Fact]
    public void Tensors_no_module_takes_are_refused_when_asked_to()
    {
        byte[] file = Save(RandomNetwork(4));
        var conv = Conv2d.Create(1, 4, 3);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadModules(file, new (string, ILayer)[] { ("conv1", conv) }, allowUnused: false));
        Assert.Contains("the file has tensors no parameter takes", e.Message);
        Assert.Contains("fc.weight", e.Message);
        Assert.Contains("head.weight", e.Message);

        SafeTensors.LoadModules(file, new (string, ILayer)[] { ("conv1", conv) }); // allowed by default
        Assert.Contains(conv.Weights.ToArray(), v => v != 0f);
    }

    [Fact]
    public void LoadLayers_and_LoadModules_read_each_others_files()
    {
        IConvLayer a = Conv1d.Create(2, 3, 3), b = SeparableConv2d.Create(3, 5, 3, depthMultiplier: 2);
        Tensors.Random(new Random(5), a.Weights.Length).CopyTo(a.Weights);
        Tensors.Random(new Random(6), b.Weights.Length).CopyTo(b.Weights);
        Tensors.Random(new Random(7), b.Bias.Length).CopyTo(b.Bias);
        using var stream = new MemoryStream();
        SafeTensors.SaveLayers(stream, new (string, IConvLayer)[] { ("a", a), ("b", b) });

        IConvLayer a2 = ConvLayers.Create(a.Geometry), b2 = ConvLayers.Create(b.Geometry);
        SafeTensors.LoadModules(stream.ToArray(), new (string, ILayer)[] { ("a", a2), ("b", b2) }, allowUnused: false);
        Assert.Equal(a.Weights.ToArray(), a2.Weights.ToArray());
        Assert.Equal(b.Weights.ToArray(), b2.Weights.ToArray());
        Assert.Equal(b.Bias.ToArray(), b2.Bias.ToArray());

        byte[] modules = Save(new (string, ILayer)[] { ("a", a), ("b", b) });
        Assert.Equal(stream.ToArray(), modules); // the same bytes either way
        IConvLayer a3 = ConvLayers.Create(a.Geometry), b3 = ConvLayers.Create(b.Geometry);
        SafeTensors.LoadLayers(modules, new (string, IConvLayer)[] { ("a", a3), ("b", b3) }, allowUnused: false);
        Assert.Equal(b.Weights.ToArray(), b3.Weights.ToArray());
    }

    [Fact]
    public void A_pytorch_style_file_loads_into_a_convolution_module_by_name()
    {
        byte[] file = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "fixture.safetensors"));
        IConvLayer conv = Conv2d.Create(1, 2, 3);
        SafeTensors.LoadModules(file, new (string, ILayer)[] { ("conv1", conv), ("flatten", new Flatten()) });
        for (int i = 0; i < 18; i++)
        {
            Assert.Equal(i * 0.25f - 1, conv.Weights[i]);
        }

        Assert.Equal(new[] { 0.5f, -0.5f }, conv.Bias.ToArray());
    }

    [Fact]
    public void A_linear_layer_whose_weights_span_is_shorter_than_its_shape_is_refused_before_reading_the_file()
    {
        var broken = new ShortLinear();
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.LoadModules(new byte[3], new (string, ILayer)[] { ("fc", broken) }));
        Assert.Contains("'fc.weight' [2, 3] needs 6 floats", e.Message);
        Assert.Contains("holds 5", e.Message);
    }

    [Fact]
    public void Networks_of_parameter_free_layers_save_an_empty_file_that_loads()
    {
        (string, ILayer)[] modules = { ("flatten", new Flatten()), ("gap", new GlobalAvgPool()) };
        Assert.Empty(SafeTensors.DescribeModules(modules));
        byte[] file = Save(modules);
        Assert.Empty(SafeTensors.Describe(file));
        SafeTensors.LoadModules(file, modules, allowUnused: false);
    }

    /// <summary>A linear layer whose Weights span does not hold OutFeatures × InFeatures floats.</summary>
    private sealed class ShortLinear : ILinearLayer
    {
        private readonly float[] _weights = new float[5];

        public int InFeatures => 3;

        public int OutFeatures => 2;

        public Span<float> Weights => _weights;

        public Span<float> Bias => Span<float>.Empty;

        public TensorShape GetOutputShape(TensorShape input) => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output) => throw new NotSupportedException();
    }
}
