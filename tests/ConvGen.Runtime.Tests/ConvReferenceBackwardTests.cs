using System;
using System.Linq;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// The double-precision backward reference, the baseline for backward kernels: its double forward agrees with the
/// forward reference (itself checked against PyTorch and ONNX), and every gradient it gives agrees with central
/// differences of that forward, for every layer kind, padding mode and activation.
/// </summary>
public sealed class ConvReferenceBackwardTests
{
    public static TheoryData<string> Cases() => new(Layers.Select(l => l.Name));

    private static readonly (string Name, ConvGeometry Geometry, TensorShape Input)[] Layers =
    {
        ("conv2d k3 s2 p1 ReLU", ConvGeometry.Conv2d(2, 3, 3, stride: 2, padding: 1) with { Activation = Activation.ReLU }, new TensorShape(2, 2, 5, 6)),
        ("conv2d grouped dilated Tanh", ConvGeometry.Conv2d(4, 6, 3, padding: 2, dilation: 2, groups: 2) with { Activation = Activation.Tanh }, new TensorShape(1, 4, 5, 5)),
        ("conv2d reflect SiLU", ConvGeometry.Conv2d(2, 2, 3, padding: 1) with { PaddingMode = PaddingMode.Reflect, Activation = Activation.SiLU }, new TensorShape(1, 2, 4, 5)),
        ("conv2d replicate asymmetric LeakyReLU", ConvGeometry.Conv2d(2, 3, 2) with
        {
            PaddingMode = PaddingMode.Replicate, PadTop = 1, PadBottom = 0, PadLeft = 0, PadRight = 1, Activation = Activation.LeakyReLU, NegativeSlope = 0.1f,
        }, new TensorShape(1, 2, 4, 4)),
        ("conv1d circular same Sigmoid", ConvGeometry.Conv1d(2, 3, 4) with
        {
            PaddingRule = PaddingRule.Same, PaddingMode = PaddingMode.Circular, Activation = Activation.Sigmoid,
        }, new TensorShape(2, 2, 7)),
        ("conv3d k3 p1 no bias", ConvGeometry.Conv3d(2, 2, 3, padding: 1, bias: false), new TensorShape(1, 2, 3, 4, 3)),
        ("depthwise s2 ReLU6", ConvGeometry.Conv2d(3, 3, 3, stride: 2, padding: 1, groups: 3) with { Activation = Activation.ReLU6 }, new TensorShape(1, 3, 6, 5)),
        ("transposed2d k4 s2 p1 op1", ConvGeometry.ConvTranspose(2, 3, 2, 4, stride: 2, padding: 1, outputPadding: 1), new TensorShape(1, 3, 3, 4)),
        ("transposed1d grouped dilated Tanh", ConvGeometry.ConvTranspose(1, 4, 2, 3, stride: 2, dilation: 2, groups: 2) with { Activation = Activation.Tanh }, new TensorShape(2, 4, 5)),
        ("transposed3d k2 s2", ConvGeometry.ConvTranspose(3, 2, 2, 2, stride: 2), new TensorShape(1, 2, 2, 2, 3)),
        ("separable k3 p1 M2 SiLU", ConvGeometry.SeparableConv2d(2, 3, 3, padding: 1, depthMultiplier: 2) with { Activation = Activation.SiLU }, new TensorShape(1, 2, 4, 5)),
        ("separable reflect s2", ConvGeometry.SeparableConv2d(2, 2, 3, stride: 2, padding: 1) with { PaddingMode = PaddingMode.Reflect }, new TensorShape(1, 2, 5, 5)),
    };

    private static (ConvGeometry G, TensorShape In, float[] X, float[] W, float[] B, double[] R) Setup(string name)
    {
        (string _, ConvGeometry g, TensorShape input) = Layers.Single(l => l.Name == name);
        var random = new Random(name.Length * 31 + name[0]);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        TensorShape output = ConvLayers.Create(g).GetOutputShape(input);
        return (g, input, Random((int)input.ElementCount), Random(g.WeightCount), Random(g.HasBias ? g.OutChannels : 0),
            Random((int)output.ElementCount).Select(v => (double)v).ToArray());
    }

    private static double[] Wide(float[] values) => values.Select(v => (double)v).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_forward_agrees_with_the_forward_reference(string name)
    {
        (ConvGeometry g, TensorShape input, float[] x, float[] w, float[] b, double[] r) = Setup(name);
        var expected = new float[r.Length];
        ConvReference.Run(g, x, input, w, b, expected);
        double[] actual = ConvReference.ForwardDouble(g, Wide(x), input, Wide(w), Wide(b));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(actual[i])), $"{name}: output {i} is {actual[i]}, the reference {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_gradient_matches_central_differences(string name)
    {
        (ConvGeometry g, TensorShape input, float[] x, float[] w, float[] b, double[] r) = Setup(name);
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        ConvReference.Backward(g, x, input, w, b, r.Select(v => (float)v).ToArray(), dx, dw, db);

        // L = sum(r * y): dL/dy = r, as passed above.
        double[] wx = Wide(x), ww = Wide(w), wb = Wide(b);
        double[] Forward() => ConvReference.ForwardDouble(g, wx, input, ww, wb);
        CentralDifferences.AssertGradient(name + ": dx", wx, dx, Forward, r);
        CentralDifferences.AssertGradient(name + ": dw", ww, dw, Forward, r);
        CentralDifferences.AssertGradient(name + ": db", wb, db, Forward, r);
    }

    [Fact]
    public void Gradient_buffers_of_the_wrong_size_name_both_sizes()
    {
        ConvGeometry g = ConvGeometry.Conv2d(1, 2, 3);
        var input = new TensorShape(1, 1, 4, 4);
        ArgumentException e = Assert.Throws<ArgumentException>(() => ConvReference.Backward(g, new float[16], input, new float[18], new float[2],
            new float[8], new float[16], new float[17], new float[2]));
        Assert.Contains("weightGradient has 17 elements but the layer needs 18", e.Message, StringComparison.Ordinal);
    }
}
