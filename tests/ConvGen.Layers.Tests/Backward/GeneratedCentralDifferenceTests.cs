using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Training;
using Xunit;

namespace ConvGen.Layers.Tests.Backward;

/// <summary>
/// The generated backward passes checked directly against central differences of the generated forward passes (not
/// only through the reference): for one layer of every kind, d(sum(r · Forward(x))) / dθ for sampled inputs and
/// parameters. The forward runs in float, so the step is 1e-2 and the tolerance 2% of the largest gradient: wide
/// enough for float rounding, far too narrow for a wrong tap, stride or channel. Smooth activations keep the steps off
/// kinks.
/// </summary>
public class GeneratedCentralDifferenceTests
{
    public static TheoryData<string> Cases => new()
    {
        "conv 3x3 stride 2 tanh", "conv 1-D reflect sigmoid", "conv 3-D replicate", "conv depthwise dilated",
        "transposed stride 2 groups", "transposed 1-D stride 3", "separable reflect silu", "linear silu", "average pool",
        "max pool", "global average pool",
    };

    private static (ITrainableLayer Layer, TensorShape Shape) Create(string name) => name switch
    {
        "conv 3x3 stride 2 tanh" => (new FdConv(), new TensorShape(2, 3, 7, 9)),
        "conv 1-D reflect sigmoid" => (new FdConv1d(), new TensorShape(2, 2, 11)),
        "conv 3-D replicate" => (new FdConv3d(), new TensorShape(1, 2, 4, 5, 6)),
        "conv depthwise dilated" => (new FdDepthwise(), new TensorShape(2, 4, 9, 10)),
        "transposed stride 2 groups" => (new FdUp(), new TensorShape(2, 4, 4, 5)),
        "transposed 1-D stride 3" => (new FdUp1d(), new TensorShape(2, 3, 6)),
        "separable reflect silu" => (new FdSeparable(), new TensorShape(2, 3, 8, 9)),
        "linear silu" => (new FdLinear(), new TensorShape(3, 12, 1)),
        "average pool" => (new FdAvgPool(), new TensorShape(2, 3, 7, 8)),
        "max pool" => (new FdMaxPool(), new TensorShape(2, 3, 7, 8)),
        _ => (new GlobalAvgPool(), new TensorShape(2, 3, 5, 6)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_gradients_match_central_differences_of_the_generated_forward_pass(string name)
    {
        (ITrainableLayer layer, TensorShape shape) = Create(name);
        var rng = new Random(name.Length * 7919);
        foreach (Parameter p in layer.Parameters)
        {
            Fill(rng, p.Values.Span, 0.5);
        }

        var x = new float[shape.ElementCount];
        Fill(rng, x, 1.0);
        if (layer is FdMaxPool)
        {
            // Distinct values 0.05 apart, so no step of 1e-2 changes which element is a window's maximum.
            int[] order = Enumerable.Range(0, x.Length).OrderBy(_ => rng.Next()).ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (order[i] - x.Length / 2) * 0.05f;
            }
        }
        var y = new float[layer.GetOutputShape(shape).ElementCount];
        var r = new float[y.Length];
        Fill(rng, r, 1.0);
        layer.Forward(x, shape, y);

        foreach (Parameter p in layer.Parameters)
        {
            p.ZeroGradient();
        }

        var dx = new float[x.Length];
        layer.Backward(x, shape, y, r, dx);

        double Loss()
        {
            var output = new float[y.Length];
            layer.Forward(x, shape, output);
            double sum = 0;
            for (int i = 0; i < output.Length; i++)
            {
                sum += (double)output[i] * r[i];
            }

            return sum;
        }

        Check(name + " input", x, dx, Loss, rng);
        foreach (Parameter p in layer.Parameters)
        {
            Check($"{name} {p.Name}", p.Values.Span.ToArray(), p.Gradient, Loss, rng, p.Values);
        }
    }

    /// <summary>Central differences at up to 24 sampled positions of <paramref name="values"/> (in <paramref name="storage"/> when given).</summary>
    private static void Check(string what, float[] values, float[] gradient, Func<double> loss, Random rng, Memory<float> storage = default)
    {
        Span<float> target = storage.IsEmpty ? values : storage.Span;
        float scale = Math.Max(1e-3f, gradient.Max(v => Math.Abs(v)));
        IEnumerable<int> positions = values.Length <= 24 ? Enumerable.Range(0, values.Length) : Enumerable.Range(0, 24).Select(_ => rng.Next(values.Length));
        foreach (int i in positions)
        {
            const float h = 1e-2f;
            float keep = target[i];
            target[i] = keep + h;
            double up = loss();
            target = storage.IsEmpty ? values : storage.Span;
            target[i] = keep - h;
            double down = loss();
            target = storage.IsEmpty ? values : storage.Span;
            target[i] = keep;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 0.02 * scale,
                $"{what}[{i}]: the backward pass gives {gradient[i]} but central differences give {numeric:G6} (tolerance {0.02 * scale:G3})");
        }
    }

    private static void Fill(Random rng, Span<float> data, double scale)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }
    }
}

[ConvLayer(K = 3, S = 2, P = 1, InChannels = 3, OutChannels = 5, Activation = Activation.Tanh)] public partial class FdConv { }
[Conv1dLayer(K = 4, Padding = PaddingRule.Same, PaddingMode = PaddingMode.Reflect, InChannels = 2, OutChannels = 3, Activation = Activation.Sigmoid)] public partial class FdConv1d { }
[Conv3dLayer(K = 3, P = 1, S = 2, InChannels = 2, OutChannels = 3, PaddingMode = PaddingMode.Replicate)] public partial class FdConv3d { }
[ConvLayer(K = 3, D = 2, P = 2, Groups = 4, InChannels = 4, OutChannels = 8)] public partial class FdDepthwise { }
[ConvTransposeLayer(K = 3, S = 2, P = 1, OutputPadding = 1, Groups = 2, InChannels = 4, OutChannels = 6, Activation = Activation.Tanh)] public partial class FdUp { }
[ConvTranspose1dLayer(K = 5, S = 3, P = 1, InChannels = 3, OutChannels = 2)] public partial class FdUp1d { }
[SeparableConvLayer(K = 3, P = 1, S = 2, DepthMultiplier = 2, InChannels = 3, OutChannels = 4, PaddingMode = PaddingMode.Reflect, Activation = Activation.SiLU)] public partial class FdSeparable { }
[LinearLayer(InFeatures = 12, OutFeatures = 5, Activation = Activation.SiLU)] public partial class FdLinear { }
[AvgPoolLayer(K = 3, S = 2, P = 1, CountIncludePad = false)] public partial class FdAvgPool { }
[MaxPoolLayer(K = 2, S = 2)] public partial class FdMaxPool { }
