using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace ConvGen.Layers.Tests.Networks;

/// <summary>
/// Networks whose weights, inputs and outputs PyTorch 1.13 wrote (Data/make_network_fixtures.py; the outputs were
/// computed in double precision) run in ConvGen from the same state_dict and give the same outputs within 1e-4.
/// </summary>
public sealed class TorchNetworkParityTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));

    /// <summary>The "input" and "output" tensors of NAME_io.safetensors.</summary>
    private static (float[] Input, float[] Output, int Batch) Io(string name)
    {
        byte[] file = Fixture(name + "_io.safetensors");
        var shapes = SafeTensors.Describe(file).ToDictionary(t => t.Name, t => t.Shape);
        long[] inShape = shapes["input"], outShape = shapes["output"];
        var input = new float[inShape.Aggregate(1L, (a, b) => a * b)];
        var output = new float[outShape.Aggregate(1L, (a, b) => a * b)];
        SafeTensors.Load(file, new[]
        {
            new NamedParameter("input", inShape.Select(d => (int)d).ToArray(), input),
            new NamedParameter("output", outShape.Select(d => (int)d).ToArray(), output),
        });
        return (input, output, (int)inShape[0]);
    }

    public static TheoryData<string> Names => new() { "lenet", "mobile", "tiny1d", "residual" };

    private static ILayer Create(string name, out Action<byte[]> load, out Action<Stream> save, out Func<(string, ILayer)[]> modules)
    {
        switch (name)
        {
            case "lenet":
                var lenet = new LeNet();
                (load, save, modules) = (f => lenet.LoadSafeTensors(f), lenet.SaveSafeTensors, lenet.Modules);
                return lenet;
            case "mobile":
                var mobile = new MobileNet();
                (load, save, modules) = (f => mobile.LoadSafeTensors(f), mobile.SaveSafeTensors, mobile.Modules);
                return mobile;
            case "residual":
                var residual = new ResidualNet();
                (load, save, modules) = (f => residual.LoadSafeTensors(f), residual.SaveSafeTensors, residual.Modules);
                return residual;
            default:
                var tiny = new Tiny1d();
                (load, save, modules) = (f => tiny.LoadSafeTensors(f), tiny.SaveSafeTensors, tiny.Modules);
                return tiny;
        }
    }

    private static TensorShape InputShape(string name, int batch) => name switch
    {
        "lenet" => LeNet.InputShape(batch),
        "mobile" => MobileNet.InputShape(batch),
        "residual" => ResidualNet.InputShape(batch),
        _ => Tiny1d.InputShape(batch),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void PyTorch_state_dict_loads_unchanged_and_reproduces_PyTorch_outputs(string name)
    {
        ILayer network = Create(name, out Action<byte[]> load, out _, out _);
        load(Fixture(name + ".safetensors"));
        (float[] input, float[] expected, int batch) = Io(name);

        var actual = new float[expected.Length];
        Array.Fill(actual, float.NaN);
        network.Forward(input, InputShape(name, batch), actual);
        Numerics.AssertClose(expected, actual, name + " against PyTorch");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Saved_weights_have_PyTorch_names_and_shapes_and_reload_to_the_same_outputs(string name)
    {
        byte[] original = Fixture(name + ".safetensors");
        ILayer first = Create(name, out Action<byte[]> load, out Action<Stream> save, out _);
        load(original);
        var stream = new MemoryStream();
        save(stream);
        byte[] saved = stream.ToArray();

        static string Describe(byte[] file) => string.Join("; ", SafeTensors.Describe(file).OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => $"{t.Name} {t.DType} [{string.Join(", ", t.Shape)}]"));
        Assert.Equal(Describe(original), Describe(saved));

        ILayer second = Create(name, out Action<byte[]> loadSecond, out _, out _);
        loadSecond(saved);
        (float[] input, float[] expected, int batch) = Io(name);
        var a = new float[expected.Length];
        var b = new float[expected.Length];
        first.Forward(input, InputShape(name, batch), a);
        second.Forward(input, InputShape(name, batch), b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Parameter_count_is_the_size_of_PyTorchs_state_dict()
    {
        long Count(string name) => SafeTensors.Describe(Fixture(name + ".safetensors")).Sum(t => t.Shape.Aggregate(1L, (x, y) => x * y));
        Assert.Equal(LeNet.ParameterCount, Count("lenet"));
        Assert.Equal(MobileNet.ParameterCount, Count("mobile"));
        Assert.Equal(Tiny1d.ParameterCount, Count("tiny1d"));
        Assert.Equal(ResidualNet.ParameterCount, Count("residual"));
    }

    [Fact]
    public void Wrong_weights_list_every_problem_and_load_nothing()
    {
        var mobile = new MobileNet();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => mobile.LoadSafeTensors(Fixture("lenet.safetensors")));
        Assert.Contains("'stem.weight': expected F32 [16, 3, 3, 3], missing from the file", e.Message, StringComparison.Ordinal);
        Assert.Contains("'block.depthwise.weight': expected F32 [16, 1, 3, 3], missing from the file", e.Message, StringComparison.Ordinal);
        Assert.Contains("'fc.weight': expected F32 [10, 64], missing from the file", e.Message, StringComparison.Ordinal);
        Assert.Contains("conv1.weight", e.Message, StringComparison.Ordinal); // the unused tensors are named too

        // lenet's fc3 has the same [10, 84] shape family but a different name: nothing at all may have been copied.
        foreach ((string _, ILayer layer) in mobile.Modules())
        {
            Span<float> weights = layer switch { IConvLayer c => c.Weights, ILinearLayer l => l.Weights, _ => Span<float>.Empty };
            Assert.True(weights.IndexOfAnyExcept(0f) < 0);
        }
    }

    [Fact]
    public void Misshaped_tensor_names_expected_and_found_shapes()
    {
        // tiny1d's fc is [4, 96]; lenet's fc3 is [10, 84]: rename by saving lenet's fc3 as "fc".
        var lenet = new LeNet();
        lenet.LoadSafeTensors(Fixture("lenet.safetensors"));
        (string, ILayer) fc3 = lenet.Modules().Single(m => m.Item1 == "fc3");
        var stream = new MemoryStream();
        SafeTensors.SaveModules(stream, new[] { ("fc", fc3.Item2) });
        var tiny = new Tiny1d();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => tiny.LoadSafeTensors(stream.ToArray()));
        Assert.Contains("'fc.weight': expected F32 [4, 96], found F32 [10, 84]", e.Message, StringComparison.Ordinal);
        Assert.Contains("'conv1.weight': expected F32 [8, 2, 5], missing from the file", e.Message, StringComparison.Ordinal);
    }
}
