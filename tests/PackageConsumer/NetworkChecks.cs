using ConvGen;

/// <summary>
/// A network declared against the package: the constants the generator computes, and PyTorch's own weights and
/// outputs (mobile.safetensors and mobile_io.safetensors, copied next to this project by .ci/run from
/// tests/ConvGen.Layers.Tests/Data) reproduced within 1e-4.
/// </summary>
internal static class NetworkChecks
{
    public static int Run()
    {
        int failures = 0;
        string data = AppContext.BaseDirectory;
        byte[] weights = File.ReadAllBytes(Path.Combine(data, "mobile.safetensors"));
        byte[] io = File.ReadAllBytes(Path.Combine(data, "mobile_io.safetensors"));

        // 32 -stem s2-> 16 -separable-> 16 -depthwise s2-> 8 -1x1-> 8 -global pool-> 1: 64 features, 10 classes.
        long stateDict = SafeTensors.Describe(weights).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        if (ConsumerMobile.ParameterCount != stateDict || ConsumerMobile.OutputSize != 10 || ConsumerMobile.Shapes.down.Height != 8
            || ConsumerMobile.ReceptiveField != 11 || ConsumerMobile.ScratchSize > ConsumerMobile.PingPongScratchSize)
        {
            Console.WriteLine($"FAIL network constants: {ConsumerMobile.ParameterCount} parameters (state_dict {stateDict}), "
                + $"output {ConsumerMobile.OutputSize}, down {ConsumerMobile.Shapes.down.Height} rows, receptive field {ConsumerMobile.ReceptiveField}");
            failures++;
        }

        var network = new ConsumerMobile();
        network.LoadSafeTensors(weights);
        var input = new float[3 * ConsumerMobile.InputSize];
        var expected = new float[3 * ConsumerMobile.OutputSize];
        SafeTensors.Load(io, new[]
        {
            new NamedParameter("input", new[] { 3, 3, 32, 32 }, input),
            new NamedParameter("output", new[] { 3, 10 }, expected),
        });
        var actual = new float[expected.Length];
        network.Forward(input, actual, 3, new float[ConsumerMobile.ScratchLength(3)]);
        float scale = Math.Max(1, expected.Max(Math.Abs));
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        if (!(worst <= 1e-4f * scale))
        {
            Console.WriteLine($"FAIL network ConsumerMobile differs from PyTorch by {worst} (scale {scale})");
            failures++;
        }
        else
        {
            Console.WriteLine($"ok network ConsumerMobile matches PyTorch (largest difference {worst:G3})");
        }

        try
        {
            new ConsumerMobile().LoadSafeTensors(io);
            Console.WriteLine("FAIL network loaded a file without its tensors");
            failures++;
        }
        catch (InvalidDataException e) when (e.Message.Contains("'stem.weight': expected F32 [16, 3, 3, 3], missing from the file", StringComparison.Ordinal))
        {
        }

        return failures;
    }
}

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 3, OutChannels = 16, Activation = Activation.ReLU6)]
public partial class MobileStem { }

[SeparableConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 32, Activation = Activation.ReLU)]
public partial class MobileBlock { }

[ConvLayer(K = 3, S = 2, P = 1, Groups = 32, InChannels = 32, OutChannels = 32, Activation = Activation.ReLU)]
public partial class MobileDown { }

[ConvLayer(K = 1, InChannels = 32, OutChannels = 64, Activation = Activation.SiLU)]
public partial class MobileMix { }

[LinearLayer(InFeatures = 64, OutFeatures = 10)]
public partial class MobileHead { }

/// <summary>The "mobile" network of make_network_fixtures.py, field names = PyTorch module names.</summary>
[Network(InChannels = 3, InH = 32, InW = 32)]
public partial class ConsumerMobile
{
    private readonly MobileStem stem;
    private readonly MobileBlock block;
    private readonly MobileDown down;
    private readonly MobileMix mix;
    private readonly GlobalAvgPool gap;
    private readonly Flatten flatten;
    private readonly MobileHead fc;
}
