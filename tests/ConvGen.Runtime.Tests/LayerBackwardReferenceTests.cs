using System;
using System.Linq;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>
/// Backward references of the network's other layers (pooling, global pooling, linear): their double forwards agree
/// with the forward references, and their gradients with central differences of those forwards.
/// </summary>
public sealed class LayerBackwardReferenceTests
{
    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static double[] Wide(float[] values) => values.Select(v => (double)v).ToArray();

    [Theory]
    [InlineData(true, 2, 2, 0, true, 2)]
    [InlineData(true, 3, 2, 1, true, 2)]
    [InlineData(false, 2, 2, 0, true, 2)]
    [InlineData(false, 3, 2, 1, true, 2)]
    [InlineData(false, 3, 2, 1, false, 2)]
    [InlineData(true, 3, 1, 1, true, 1)]
    [InlineData(false, 2, 2, 1, false, 3)]
    public void Pooling_gradients_match_central_differences(bool max, int k, int s, int p, bool countIncludePad, int dims)
    {
        TensorShape shape = dims switch { 1 => new TensorShape(2, 2, 9), 3 => new TensorShape(1, 2, 4, 5, 4), _ => new TensorShape(2, 2, 5, 6) };
        float[] x = Random((int)shape.ElementCount, k * 10 + s);
        TensorShape outShape = ConvGen.Internal.PoolingKernel.OutputShape(max, shape, k, s, p, "test");
        var reference = new float[outShape.ElementCount];
        if (max)
        {
            ConvReference.MaxPool(x, shape, reference, k, s, p);
        }
        else
        {
            ConvReference.AvgPool(x, shape, reference, k, s, p, countIncludePad);
        }

        double[] wx = Wide(x);
        double[] forward = ConvReference.PoolForwardDouble(max, wx, shape, k, s, p, countIncludePad);
        for (int i = 0; i < forward.Length; i++)
        {
            Assert.True(Math.Abs(forward[i] - reference[i]) <= 1e-6, $"output {i}: {forward[i]} vs the reference {reference[i]}");
        }

        double[] r = Wide(Random(forward.Length, 99));
        var dx = new float[x.Length];
        ConvReference.PoolBackward(max, x, shape, r.Select(v => (float)v).ToArray(), dx, k, s, p, countIncludePad);
        CentralDifferences.AssertGradient("dx", wx, dx, () => ConvReference.PoolForwardDouble(max, wx, shape, k, s, p, countIncludePad), r);
    }

    [Fact]
    public void Global_average_pooling_gradient_spreads_evenly()
    {
        var shape = new TensorShape(2, 3, 2, 5);
        float[] dy = { 1, 2, 3, 4, 5, 6 };
        var dx = new float[shape.ElementCount];
        ConvReference.GlobalAvgPoolBackward(shape, dy, dx);
        for (int i = 0; i < dx.Length; i++)
        {
            Assert.Equal(dy[i / 10] / 10f, dx[i], 6);
        }
    }

    [Theory]
    [InlineData(Activation.None, true)]
    [InlineData(Activation.ReLU, true)]
    [InlineData(Activation.LeakyReLU, false)]
    [InlineData(Activation.Sigmoid, true)]
    [InlineData(Activation.Tanh, true)]
    [InlineData(Activation.SiLU, false)]
    [InlineData(Activation.ReLU6, true)]
    public void Linear_gradients_match_central_differences(Activation activation, bool hasBias)
    {
        const int batch = 3, fin = 7, fout = 5;
        var shape = new TensorShape(batch, fin, 1);
        float[] x = Random(batch * fin, 1), w = Random(fin * fout, 2).Select(v => 3 * v).ToArray(), b = hasBias ? Random(fout, 3) : Array.Empty<float>();
        var reference = new float[batch * fout];
        ConvReference.Linear(x, shape, reference, w, b, fin, fout, activation, 0.05f);
        double[] wx = Wide(x), ww = Wide(w), wb = Wide(b);
        double[] Forward() => ConvReference.LinearForwardDouble(wx, batch, ww, wb, fin, fout, activation, 0.05f);
        double[] forward = Forward();
        for (int i = 0; i < forward.Length; i++)
        {
            Assert.True(Math.Abs(forward[i] - reference[i]) <= 1e-5 * Math.Max(1, Math.Abs(forward[i])), $"output {i}: {forward[i]} vs the reference {reference[i]}");
        }

        double[] r = Wide(Random(forward.Length, 4));
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        ConvReference.LinearBackward(x, shape, w, b, fin, fout, activation, 0.05f, r.Select(v => (float)v).ToArray(), dx, dw, db);
        CentralDifferences.AssertGradient("dx", wx, dx, Forward, r);
        CentralDifferences.AssertGradient("dW", ww, dw, Forward, r);
        CentralDifferences.AssertGradient("db", wb, db, Forward, r);
    }
}
