using ConvGen;

// Layers compiled by the generator that the ConvGen package carries, checked against the reference convolution.
int failures = 0;
Check(new Stem(), new TensorShape(2, 3, 17, 23));
Check(new AnyChannels(5, 7), new TensorShape(1, 5, 12, 9));
Check(new AnyChannels(1, 2), new TensorShape(1, 1, 4, 4));
Check(new Depthwise(), new TensorShape(1, 6, 10, 11));
Check(new StaticSize(), new TensorShape(1, StaticSize.InputChannels, StaticSize.InH, StaticSize.InW));
Check(new WinogradBody(), new TensorShape(2, WinogradBody.InputChannels, WinogradBody.InH, WinogradBody.InW));

// The convolution family (FamilyLayers.cs): one layer of every attribute kind, against ConvReference.Run.
Check(new Smooth1d(), new TensorShape(2, 3, 19));
Check(new Causal1d(), new TensorShape(1, 4, 33));
Check(new SameSilu(), new TensorShape(2, 3, SameSilu.InH, SameSilu.InW));
Check(new Asymmetric(), new TensorShape(1, 2, 9, 13));
Check(new Volume(), new TensorShape(1, 2, 4, 6, 9));
Check(new Up1d(), new TensorShape(2, 3, 7));
Check(new Up2d(), new TensorShape(1, 4, 5, 6));
Check(new Up3d(), new TensorShape(1, 2, 3, 4, 5));
Check(new Up3dWide(), new TensorShape(1, 2, 2, 3, 4));
Check(new Separable(), new TensorShape(2, 3, 9, 11));

// The same kinds from the run-time factories.
Check(Conv1d.Create(inChannels: 4, outChannels: 6, kernel: 3, padding: 1), new TensorShape(1, 4, 21), "Conv1d.Create");
Check(Conv3d.Create(inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1), new TensorShape(1, 2, 5, 6, 7), "Conv3d.Create");
Check(ConvTranspose.Create(dimensions: 2, inChannels: 4, outChannels: 2, kernel: 4, stride: 2, padding: 1), new TensorShape(1, 4, 5, 7), "ConvTranspose.Create");
Check(SeparableConv2d.Create(inChannels: 3, outChannels: 5, kernel: 3, padding: 1, depthMultiplier: 2), new TensorShape(1, 3, 8, 9), "SeparableConv2d.Create");
Check(ConvLayers.Create(ConvGeometry.Conv1d(4, 4, kernel: 5) with
    {
        PaddingRule = PaddingRule.Same, PaddingMode = PaddingMode.Circular, Activation = Activation.Sigmoid,
    }),
    new TensorShape(1, 4, 12), "ConvLayers.Create");

// Generated constants agree with the run-time shape arithmetic.
TensorShape staticOut = new StaticSize().GetOutputShape(new TensorShape(1, 2, StaticSize.InH, StaticSize.InW));
if (staticOut.H != StaticSize.OutH || staticOut.W != StaticSize.OutW || new Stem().Geometry.ParameterCount != Stem.ParameterCount)
{
    Console.WriteLine($"FAIL constants: OutH x OutW = {StaticSize.OutH}x{StaticSize.OutW}, computed {staticOut}; Stem.ParameterCount = {Stem.ParameterCount}");
    failures++;
}

failures += FamilyChecks.Run();
failures += NetworkChecks.Run();

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

void Check(IConvLayer layer, TensorShape inputShape, string? name = null)
{
    var random = new Random(inputShape.C * 1_000_000 + inputShape.D * 10_000 + inputShape.H * 100 + inputShape.W);
    float[] input = new float[inputShape.ElementCount];
    Fill(input, random);
    Fill(layer.Weights, random);
    Fill(layer.Bias, random);
    TensorShape outputShape = layer.GetOutputShape(inputShape);
    float[] actual = new float[outputShape.ElementCount];
    float[] expected = new float[outputShape.ElementCount];
    layer.Forward(input, inputShape, actual);
    ConvReference.Run(layer.Geometry, input, inputShape, layer.Weights, layer.Bias, expected);
    double worst = 0;
    for (int i = 0; i < expected.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
    }

    bool ok = worst <= 1e-4;
    failures += ok ? 0 : 1;
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name ?? layer.GetType().Name,-22} {inputShape} -> {outputShape}  max |diff| {worst:0.00E+00}");
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
