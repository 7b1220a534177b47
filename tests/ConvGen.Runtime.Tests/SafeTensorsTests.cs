using System;
using System.IO;
using ConvGen;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Safetensors in and out: a file written by an independent script (Data/make_safetensors_fixture.py, the format's own
/// rules), round trips, and the refusals, which must name what was expected and what was found and load nothing.
/// </summary>
public class SafeTensorsTests
{
    private static byte[] Fixture() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "fixture.safetensors"));

    [Fact]
    public void Loads_the_tensors_a_pytorch_style_file_holds_by_name()
    {
        var weight = new float[18];
        var bias = new float[2];
        SafeTensors.Load(Fixture(), new NamedParameter[]
        {
            new("conv1.weight", new[] { 2, 1, 3, 3 }, weight),
            new("conv1.bias", new[] { 2 }, bias),
        });

        for (int i = 0; i < 18; i++)
        {
            Assert.Equal(i * 0.25f - 1, weight[i]);
        }

        Assert.Equal(new[] { 0.5f, -0.5f }, bias);
    }

    [Fact]
    public void Describes_every_tensor_with_its_dtype_and_shape_and_skips_the_metadata()
    {
        var tensors = SafeTensors.Describe(Fixture());
        Assert.Equal(3, tensors.Count);
        Assert.Contains(tensors, t => t.Name == "head.scale" && t.DType == "F64" && t.Shape.Length == 1 && t.Shape[0] == 3);
    }

    [Fact]
    public void Refuses_missing_misshaped_and_mistyped_tensors_listing_each_and_loads_nothing()
    {
        var weight = new float[18];
        var bias = new float[3];
        var scale = new float[3];
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(Fixture(), new NamedParameter[]
        {
            new("conv1.weight", new[] { 2, 1, 3, 3 }, weight),
            new("conv1.bias", new[] { 3 }, bias),
            new("head.scale", new[] { 3 }, scale),
            new("fc.weight", new[] { 10, 4 }, new float[40]),
        }));

        Assert.Contains("'conv1.bias': expected F32 [3], found F32 [2]", e.Message);
        Assert.Contains("'head.scale': expected F32 [3], found F64 [3]", e.Message);
        Assert.Contains("'fc.weight': expected F32 [10, 4], missing from the file", e.Message);
        Assert.Contains("nothing was loaded", e.Message);
        Assert.All(weight, v => Assert.Equal(0f, v)); // the valid tensor was not copied either
    }

    [Fact]
    public void Refuses_tensors_no_parameter_takes_when_asked_to()
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(Fixture(), new NamedParameter[]
        {
            new("conv1.weight", new[] { 2, 1, 3, 3 }, new float[18]),
        }, allowUnused: false));

        Assert.Contains("conv1.bias", e.Message);
        Assert.Contains("head.scale", e.Message);
    }

    [Fact]
    public void Saved_parameters_load_back_unchanged_in_any_order()
    {
        float[] a = Tensors.Random(new Random(1), 24), b = Tensors.Random(new Random(2), 5);
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new NamedParameter[] { new("layer.0.weight", new[] { 2, 3, 4 }, a), new("layer.0.bias", new[] { 5 }, b) });

        var a2 = new float[24];
        var b2 = new float[5];
        SafeTensors.Load(stream.ToArray(), new NamedParameter[] { new("layer.0.bias", new[] { 5 }, b2), new("layer.0.weight", new[] { 2, 3, 4 }, a2) });
        Assert.Equal(a, a2);
        Assert.Equal(b, b2);
    }

    [Fact]
    public void A_layer_loads_its_weights_and_bias_from_a_file_and_computes_with_them()
    {
        IConvLayer layer = Conv2d.Create(2, 4, 3, padding: 1);
        float[] weights = Tensors.Random(new Random(3), layer.Weights.Length), bias = Tensors.Random(new Random(4), 4);
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new NamedParameter[] { new("conv.weight", new[] { 4, 2, 3, 3 }, weights), new("conv.bias", new[] { 4 }, bias) });

        var loaded = new float[layer.Weights.Length];
        var loadedBias = new float[4];
        SafeTensors.Load(stream.ToArray(), new NamedParameter[] { new("conv.weight", new[] { 4, 2, 3, 3 }, loaded), new("conv.bias", new[] { 4 }, loadedBias) });
        loaded.CopyTo(layer.Weights);
        loadedBias.CopyTo(layer.Bias);
        var shape = new TensorShape(1, 2, 5, 6);
        float[] input = Tensors.Random(new Random(5), (int)shape.ElementCount);
        float[] expected = Tensors.Reference(layer.Geometry, input, shape, weights, bias);
        Tensors.AssertClose(expected, Tensors.Forward(layer, input, shape), "after loading");
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "8-byte header length")]
    [InlineData(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "claims 200 bytes")]
    public void Refuses_a_truncated_file_saying_why(byte[] file, string why)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Describe(file));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Refuses_data_offsets_outside_the_file()
    {
        byte[] header = System.Text.Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        var file = new byte[8 + header.Length + 8];
        BitConverter.GetBytes((ulong)header.Length).CopyTo(file, 0);
        header.CopyTo(file, 8);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Describe(file));
        Assert.Contains("spans bytes [0, 16) of a 8-byte data section", e.Message);
    }
}

/// <summary>Layers in and out by PyTorch module name.</summary>
public class SafeTensorsLayerTests
{
    [Fact]
    public void Layers_of_every_kind_save_and_load_by_module_name()
    {
        IConvLayer[] layers =
        {
            Conv2d.Create(3, 4, 3), Conv1d.Create(2, 5, 3, bias: false), Conv3d.Create(2, 3, 2),
            ConvTranspose.Create(2, 4, 6, 3, stride: 2, groups: 2), SeparableConv2d.Create(3, 5, 3, depthMultiplier: 2),
        };
        var named = new (string, IConvLayer)[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            Tensors.Random(new Random(i), layers[i].Weights.Length).CopyTo(layers[i].Weights);
            Tensors.Random(new Random(i + 10), layers[i].Bias.Length).CopyTo(layers[i].Bias);
            named[i] = ("block." + i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
        }

        using var stream = new System.IO.MemoryStream();
        SafeTensors.SaveLayers(stream, named);
        byte[] file = stream.ToArray();

        var names = SafeTensors.Describe(file);
        Assert.Contains(names, t => t.Name == "block.3.weight" && string.Join(",", t.Shape) == "4,3,3,3"); // [Cin, Cout/G, kh, kw]
        Assert.Contains(names, t => t.Name == "block.4.pointwise.weight" && string.Join(",", t.Shape) == "5,6,1,1");
        Assert.DoesNotContain(names, t => t.Name == "block.1.bias");

        var fresh = new (string, IConvLayer)[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            fresh[i] = (named[i].Item1, ConvLayers.Create(layers[i].Geometry));
        }

        SafeTensors.LoadLayers(file, fresh, allowUnused: false);
        for (int i = 0; i < layers.Length; i++)
        {
            Assert.Equal(layers[i].Weights.ToArray(), fresh[i].Item2.Weights.ToArray());
            Assert.Equal(layers[i].Bias.ToArray(), fresh[i].Item2.Bias.ToArray());
        }
    }

    [Fact]
    public void A_layer_that_does_not_fit_the_file_is_named_with_both_shapes_and_nothing_loads()
    {
        IConvLayer a = Conv2d.Create(3, 4, 3), b = Conv2d.Create(3, 4, 3);
        a.Weights.Fill(1f); // so that a partial load into a2 would show
        using var stream = new System.IO.MemoryStream();
        SafeTensors.SaveLayers(stream, new (string, IConvLayer)[] { ("a", a), ("b", b) });
        IConvLayer a2 = Conv2d.Create(3, 4, 3), wrong = Conv2d.Create(3, 8, 3);
        var e = Assert.Throws<System.IO.InvalidDataException>(() =>
            SafeTensors.LoadLayers(stream.ToArray(), new (string, IConvLayer)[] { ("a", a2), ("b", wrong) }));
        Assert.Contains("'b.weight': expected F32 [8, 3, 3, 3], found F32 [4, 3, 3, 3]", e.Message);
        Assert.Contains("'b.bias': expected F32 [8], found F32 [4]", e.Message);
        Assert.All(a2.Weights.ToArray(), v => Assert.Equal(0f, v));
    }
}
