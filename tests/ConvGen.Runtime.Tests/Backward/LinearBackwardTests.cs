using System;
using System.Linq;
using ConvGen.Internal;

namespace ConvGen.Runtime.Tests.Backward;

/// <summary>
/// <see cref="LinearKernel.Backward"/> against <see cref="ConvReference.LinearBackward"/> (double precision, checked
/// against central differences in LayerBackwardReferenceTests): batch and feature counts around every tile and vector
/// width, with and without bias, composed with <see cref="ActivationGradient"/> for every activation as a generated
/// layer does, and the contract: dX is overwritten or skipped, dW and db accumulate, bad lengths name the sizes,
/// nothing is allocated.
/// </summary>
public sealed class LinearBackwardTests
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        { 1, 1, 1, true },
        { 1, 3, 2, false },
        { 3, 5, 2, true },
        { 2, 17, 9, true },
        { 5, 33, 7, false },
        { 4, 47, 5, true },
        { 7, 64, 16, true },
        { 6, 100, 13, false },
        { 9, 49, 3, true },
        { 32, 1568, 10, true },
        { 32, 10, 1568, true },
        { 13, 200, 130, true },
    };

    private static float[] Random(Random random, long count)
        => Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private sealed record Case(TensorShape Shape, int In, int Out, float[] X, float[] W, float[] B, float[] Dz);

    private static Case Make(int batch, int inF, int outF, bool bias, int seed)
    {
        var random = new Random(seed);
        return new Case(new TensorShape(batch, inF, 1), inF, outF, Random(random, (long)batch * inF), Random(random, (long)outF * inF),
            bias ? Random(random, outF) : Array.Empty<float>(), Random(random, (long)batch * outF));
    }

    /// <summary>The reference's gradients for dz at the output of a layer without activation (so dz is dy).</summary>
    private static (float[] Dx, float[] Dw, float[] Db) Reference(Case c)
    {
        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        ConvReference.LinearBackward(c.X, c.Shape, c.W, c.B, c.In, c.Out, Activation.None, 0f, c.Dz, dx, dw, db);
        return (dx, dw, db);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_matches_the_reference(int batch, int inF, int outF, bool bias)
    {
        Case c = Make(batch, inF, outF, bias, batch * 1000 + inF + outF);
        (float[] expectedDx, float[] expectedDw, float[] expectedDb) = Reference(c);
        var dx = new float[c.X.Length];
        Array.Fill(dx, float.NaN); // overwritten: leftovers fail the comparison
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, inF, outF, dx, dw, db, "test");
        string what = $"N={batch} In={inF} Out={outF}";
        Tensors.AssertClose(expectedDx, dx, what + " dX");
        Tensors.AssertClose(expectedDw, dw, what + " dW");
        Tensors.AssertClose(expectedDb, db, what + " db");
    }

    [Theory]
    [InlineData(Activation.None, 0.01f, true)]
    [InlineData(Activation.ReLU, 0.01f, true)]
    [InlineData(Activation.ReLU6, 0.01f, false)]
    [InlineData(Activation.LeakyReLU, 0.1f, true)]
    [InlineData(Activation.LeakyReLU, -0.4f, true)]
    [InlineData(Activation.Sigmoid, 0.01f, false)]
    [InlineData(Activation.Tanh, 0.01f, true)]
    [InlineData(Activation.SiLU, 0.01f, true)]
    public void With_the_activation_gradient_it_matches_the_reference_layer(Activation activation, float slope, bool bias)
    {
        // What a generated layer does: dz from the output, or from the pre-activation computed again, then the products.
        const int batch = 6, inF = 29, outF = 11;
        Case c = Make(batch, inF, outF, bias, (int)activation * 10 + (bias ? 1 : 0));
        for (int i = 0; i < c.W.Length; i++)
        {
            c.W[i] *= 3f; // sums up to about ±10: ReLU6's upper kink and the saturated ends are reached
        }

        var y = new float[batch * outF];
        LinearKernel.Forward(c.X, c.Shape, y, c.W, c.B, inF, outF, activation, slope, "test");
        float[] dy = c.Dz;
        var dz = new float[y.Length];
        if (ActivationGradient.NeedsPreActivation(activation, slope))
        {
            LinearKernel.Forward(c.X, c.Shape, dz, c.W, c.B, inF, outF, Activation.None, 0f, "test");
            ActivationGradient.FromPreActivation(activation, slope, dz, dy, dz);
        }
        else
        {
            ActivationGradient.FromOutput(activation, slope, y, dy, dz);
        }

        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        LinearKernel.Backward(c.X, c.Shape, dz, c.W, inF, outF, dx, dw, db, "test");

        var expectedDx = new float[dx.Length];
        var expectedDw = new float[dw.Length];
        var expectedDb = new float[db.Length];
        ConvReference.LinearBackward(c.X, c.Shape, c.W, c.B, inF, outF, activation, slope, dy, expectedDx, expectedDw, expectedDb);
        Tensors.AssertClose(expectedDx, dx, $"{activation} dX");
        Tensors.AssertClose(expectedDw, dw, $"{activation} dW");
        Tensors.AssertClose(expectedDb, db, $"{activation} db");
    }

    [Fact]
    public void Weight_and_bias_gradients_accumulate_so_two_calls_double_them()
    {
        Case c = Make(5, 37, 6, true, 11);
        (float[] _, float[] expectedDw, float[] expectedDb) = Reference(c);
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, Span<float>.Empty, dw, db, "test");
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, Span<float>.Empty, dw, db, "test");
        Tensors.AssertClose(expectedDw.Select(v => 2 * v).ToArray(), dw, "dW after two calls");
        Tensors.AssertClose(expectedDb.Select(v => 2 * v).ToArray(), db, "db after two calls");

        // Added to what is there, not written over it.
        float[] start = Enumerable.Range(0, dw.Length).Select(i => (float)(i % 7) - 3f).ToArray();
        float[] accumulated = (float[])start.Clone();
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, Span<float>.Empty, accumulated, Span<float>.Empty, "test");
        Tensors.AssertClose(start.Zip(expectedDw, (a, b) => a + b).ToArray(), accumulated, "dW added to a non-zero gradient");
    }

    [Fact]
    public void Empty_destinations_are_skipped()
    {
        Case c = Make(3, 20, 4, true, 5);
        (float[] expectedDx, float[] expectedDw, float[] _) = Reference(c);
        var dx = new float[c.X.Length];
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, dx, Span<float>.Empty, Span<float>.Empty, "test");
        Tensors.AssertClose(expectedDx, dx, "dX alone");
        var dw = new float[c.W.Length];
        LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, Span<float>.Empty, dw, Span<float>.Empty, "test");
        Tensors.AssertClose(expectedDw, dw, "dW alone");
    }

    [Fact]
    public void Wrong_lengths_name_the_layer_and_both_sizes()
    {
        Case c = Make(2, 10, 3, true, 1); // dz: 6, dX: 20, W: 30
        var error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, new float[5], c.W, 10, 3, new float[20], new float[30], new float[3], "Fc9"));
        Assert.Contains("Fc9", error.Message);
        Assert.Contains("5", error.Message);
        Assert.Contains("6", error.Message);

        error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, 10, 3, new float[19], new float[30], new float[3], "Fc9"));
        Assert.Contains("19", error.Message);
        Assert.Contains("20", error.Message);

        error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, 10, 3, new float[20], new float[29], new float[3], "Fc9"));
        Assert.Contains("29", error.Message);
        Assert.Contains("30", error.Message);

        error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, 10, 3, new float[20], new float[30], new float[4], "Fc9"));
        Assert.Contains("4", error.Message);
        Assert.Contains("OutFeatures = 3", error.Message);

        error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, new float[31], 10, 3, new float[20], new float[30], new float[3], "Fc9"));
        Assert.Contains("31", error.Message);

        error = Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, new TensorShape(2, 11, 1), c.Dz, c.W, 10, 3, new float[20], new float[30], new float[3], "Fc9"));
        Assert.Contains("11", error.Message);
    }

    [Fact]
    public void A_gradient_overlapping_another_span_is_rejected()
    {
        Case c = Make(2, 10, 3, true, 1);
        var buffer = new float[100];
        Assert.Throws<ArgumentException>(() => LinearKernel.Backward(buffer.AsSpan(0, 20), c.Shape, c.Dz, c.W, 10, 3, buffer.AsSpan(10, 20), new float[30], new float[3], "test"));
        Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, buffer.AsSpan(0, 30), 10, 3, new float[20], buffer.AsSpan(0, 30), new float[3], "test"));
        Assert.Throws<ArgumentException>(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, 10, 3, new float[20], buffer.AsSpan(0, 30), buffer.AsSpan(29, 3), "test"));
    }

    [Fact]
    public void Backward_allocates_nothing()
    {
        Case c = Make(32, 300, 20, true, 2);
        var dx = new float[c.X.Length];
        var dw = new float[c.W.Length];
        var db = new float[c.B.Length];
        Assert.Equal(0, SteadyState.AllocatedBytes(() => LinearKernel.Backward(c.X, c.Shape, c.Dz, c.W, c.In, c.Out, dx, dw, db, "test")));
    }
}
