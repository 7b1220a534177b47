using ConvGen;

/// <summary>
/// What the README promises about the convolution family beyond "matches the reference": output-size formulas and
/// constants, causal padding, the separable bias fold, and reflect padding's size rule. Prints a FAIL line per broken
/// promise and returns how many there were.
/// </summary>
internal static class FamilyChecks
{
    public static int Run()
    {
        int failures = 0;
        failures += Shapes();
        failures += Causality();
        failures += SeparableBiasFold();
        failures += ReflectNeedsPaddingSmallerThanInput();
        return failures;
    }

    private static int Shapes()
    {
        int failures = 0;
        Expect(ref failures, "Smooth1d keeps the length", new Smooth1d().GetOutputShape(new TensorShape(1, 3, 19)), new TensorShape(1, 6, 19));
        Expect(ref failures, "Causal1d keeps the length", new Causal1d().GetOutputShape(new TensorShape(1, 4, 33)), new TensorShape(1, 4, 33));
        Expect(ref failures, "SameSilu is ceil(in / 2)", new TensorShape(1, 8, SameSilu.OutH, SameSilu.OutW), new TensorShape(1, 8, 8, 10));
        Expect(ref failures, "Asymmetric pads 1+2 rows, 0+2 columns", new Asymmetric().GetOutputShape(new TensorShape(1, 2, 9, 13)), new TensorShape(1, 4, 10, 13));
        Expect(ref failures, "Volume keeps D x H x W", new Volume().GetOutputShape(new TensorShape(1, 2, 4, 6, 9)), new TensorShape(1, 4, 4, 6, 9));
        Expect(ref failures, "Up1d is 3*L + 1", new Up1d().GetOutputShape(new TensorShape(1, 3, 7)), new TensorShape(1, 2, 22));
        Expect(ref failures, "Up2d is 2*H x 2*W", new Up2d().GetOutputShape(new TensorShape(1, 4, 5, 6)), new TensorShape(1, 3, 10, 12));
        Expect(ref failures, "Up3d 'same' is in * stride", new Up3d().GetOutputShape(new TensorShape(1, 2, 3, 4, 5)), new TensorShape(1, 3, 6, 8, 10));
        Expect(ref failures, "Up3dWide pads the width only", new Up3dWide().GetOutputShape(new TensorShape(1, 2, 2, 3, 4)), new TensorShape(1, 2, 3, 5, 8));
        Expect(ref failures, "Separable keeps H x W", new Separable().GetOutputShape(new TensorShape(1, 3, 9, 11)), new TensorShape(1, 8, 9, 11));
        // Depthwise [3*2, 1, 3, 3] then pointwise [8, 3*2, 1, 1]; the 8 biases belong to the pointwise half.
        var separable = new Separable();
        if (separable.Weights.Length != 3 * 2 * 3 * 3 + 8 * 3 * 2 || separable.Weights.Length != Separable.WeightCount
            || separable.Bias.Length != 8 || separable.Geometry.ParameterCount != Separable.ParameterCount)
        {
            Console.WriteLine($"FAIL Separable: {separable.Weights.Length} weights, {separable.Bias.Length} biases; WeightCount = {Separable.WeightCount}, ParameterCount = {Separable.ParameterCount}");
            failures++;
        }

        return failures;
    }

    private static void Expect(ref int failures, string what, TensorShape actual, TensorShape expected)
    {
        if (actual != expected)
        {
            Console.WriteLine($"FAIL {what}: {actual}, expected {expected}");
            failures++;
        }
    }

    /// <summary>PadLeft = D*(K-1) and no right padding: changing the input at t changes no output before t.</summary>
    private static int Causality()
    {
        var layer = new Causal1d();
        var random = new Random(7);
        var shape = new TensorShape(1, 4, 33);
        float[] input = new float[shape.ElementCount];
        Fill(input, random);
        Fill(layer.Weights, random);
        Fill(layer.Bias, random);
        float[] before = new float[layer.GetOutputShape(shape).ElementCount];
        float[] after = new float[before.Length];
        layer.Forward(input, shape, before);
        const int t = 20;
        for (int c = 0; c < shape.C; c++)
        {
            input[c * shape.L + t] += 1f;
        }

        layer.Forward(input, shape, after);
        for (int c = 0; c < layer.OutChannels; c++)
        {
            for (int i = 0; i < t; i++)
            {
                if (before[c * shape.L + i] != after[c * shape.L + i])
                {
                    Console.WriteLine($"FAIL Causal1d: output {i} of channel {c} changed when input {t} did");
                    return 1;
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// A PyTorch depthwise (with bias b_dw) + pointwise (with bias b_pw) pair equals one separable layer with the same
    /// weights and bias b_pw + W_pw * b_dw.
    /// </summary>
    private static int SeparableBiasFold()
    {
        const int cin = 3, m = 2, cout = 5, mid = cin * m;
        var random = new Random(11);
        IConvLayer depthwise = Conv2d.Create(inChannels: cin, outChannels: mid, kernel: 3, padding: 1, groups: cin);
        IConvLayer pointwise = Conv2d.Create(inChannels: mid, outChannels: cout, kernel: 1);
        Fill(depthwise.Weights, random);
        Fill(depthwise.Bias, random);
        Fill(pointwise.Weights, random);
        Fill(pointwise.Bias, random);

        IConvLayer separable = SeparableConv2d.Create(inChannels: cin, outChannels: cout, kernel: 3, padding: 1, depthMultiplier: m);
        depthwise.Weights.CopyTo(separable.Weights);                        // depthwise [Cin*M, 1, 3, 3] first
        pointwise.Weights.CopyTo(separable.Weights[depthwise.Weights.Length..]); // then pointwise [Cout, Cin*M, 1, 1]
        for (int o = 0; o < cout; o++)
        {
            float b = pointwise.Bias[o];
            for (int j = 0; j < mid; j++)
            {
                b += pointwise.Weights[o * mid + j] * depthwise.Bias[j];
            }

            separable.Bias[o] = b;
        }

        var shape = new TensorShape(2, cin, 7, 10);
        float[] input = new float[shape.ElementCount];
        Fill(input, random);
        TensorShape midShape = depthwise.GetOutputShape(shape);
        float[] hidden = new float[midShape.ElementCount];
        float[] expected = new float[pointwise.GetOutputShape(midShape).ElementCount];
        float[] actual = new float[separable.GetOutputShape(shape).ElementCount];
        depthwise.Forward(input, shape, hidden);
        pointwise.Forward(hidden, midShape, expected);
        separable.Forward(input, shape, actual);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
        }

        if (expected.Length != actual.Length || worst > 1e-4)
        {
            Console.WriteLine($"FAIL separable bias fold: max |diff| {worst:0.00E+00} against depthwise + pointwise");
            return 1;
        }

        return 0;
    }

    /// <summary>Reflect padding 2 needs an input longer than 2; without a static size that is an ArgumentException.</summary>
    private static int ReflectNeedsPaddingSmallerThanInput()
    {
        var layer = new Smooth1d();
        var shape = new TensorShape(1, 3, 2);
        try
        {
            layer.Forward(new float[shape.ElementCount], shape, new float[6 * 2]);
        }
        catch (ArgumentException)
        {
            return 0;
        }

        Console.WriteLine("FAIL Smooth1d accepted reflect padding 2 on an input of length 2");
        return 1;
    }

    private static void Fill(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
    }
}
