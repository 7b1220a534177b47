using ConvGen;

// Layers compiled by the generator that the ConvGen package carries, checked against the reference convolution.
int failures = 0;
Check(new Stem(), new TensorShape(2, 3, 17, 23));
Check(new AnyChannels(5, 7), new TensorShape(1, 5, 12, 9));
Check(new AnyChannels(1, 2), new TensorShape(1, 1, 4, 4));
Check(new Depthwise(), new TensorShape(1, 6, 10, 11));
Check(new StaticSize(), new TensorShape(1, StaticSize.InputChannels, StaticSize.InH, StaticSize.InW));
Check(new WinogradBody(), new TensorShape(2, WinogradBody.InputChannels, WinogradBody.InH, WinogradBody.InW));

// Generated constants agree with the run-time shape arithmetic.
TensorShape staticOut = new StaticSize().GetOutputShape(new TensorShape(1, 2, StaticSize.InH, StaticSize.InW));
if (staticOut.H != StaticSize.OutH || staticOut.W != StaticSize.OutW || new Stem().Geometry.ParameterCount != Stem.ParameterCount)
{
    Console.WriteLine($"FAIL constants: OutH x OutW = {StaticSize.OutH}x{StaticSize.OutW}, computed {staticOut}; Stem.ParameterCount = {Stem.ParameterCount}");
    failures++;
}

// A shape that does not fit is an ArgumentException.
try
{
    new Stem().GetOutputShape(new TensorShape(1, 4, 8, 8));
    Console.WriteLine("FAIL Stem accepted 4 input channels");
    failures++;
}
catch (ArgumentException)
{
}

Console.WriteLine(failures == 0 ? "OK" : $"FAILED ({failures})");
return failures == 0 ? 0 : 1;

void Check(IConvLayer layer, TensorShape inputShape)
{
    var random = new Random(inputShape.C * 10_000 + inputShape.H * 100 + inputShape.W);
    float[] input = new float[inputShape.ElementCount];
    Fill(input, random);
    Fill(layer.Weights, random);
    Fill(layer.Bias, random);
    TensorShape outputShape = layer.GetOutputShape(inputShape);
    float[] actual = new float[outputShape.ElementCount];
    float[] expected = new float[outputShape.ElementCount];
    layer.Forward(input, inputShape, actual);
    ConvReference.Conv2d(layer.Geometry, input, inputShape, layer.Weights, layer.Bias, expected);
    double worst = 0;
    for (int i = 0; i < expected.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
    }

    bool ok = worst <= 1e-4;
    failures += ok ? 0 : 1;
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {layer.GetType().Name,-12} {inputShape} -> {outputShape}  max |diff| {worst:0.00E+00}");
}

static void Fill(Span<float> values, Random random)
{
    for (int i = 0; i < values.Length; i++)
    {
        values[i] = (float)(random.NextDouble() * 2 - 1);
    }
}

[ConvLayer(K = 3, P = 1, S = 2, InChannels = 3, OutChannels = 16)]
public partial class Stem { }

[ConvLayer(K = 3, P = 1, S = 2)]
public partial class AnyChannels { }

[ConvLayer(K = 3, P = 1, Groups = 6, InChannels = 6, OutChannels = 6)]
public partial class Depthwise { }

[ConvLayer(K = 5, P = 2, InChannels = 2, OutChannels = 3, InH = 20, InW = 24)]
public partial class StaticSize { }

// 3x3 stride 1 with enough channels and a static size: the generator picks Winograd F(4x4,3x3).
[ConvLayer(K = 3, P = 1, InChannels = 16, OutChannels = 24, InH = 14, InW = 18)]
public partial class WinogradBody { }
