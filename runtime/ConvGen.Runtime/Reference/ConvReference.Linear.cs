using System;
using ConvGen.Internal;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// PyTorch's <c>nn.Linear</c> followed by <paramref name="activation"/>, in plain loops with double accumulation:
    /// y[n, o] = act(Σᵢ x[n, i]·W[o, i] + b[o]), reading each sample's C·D·H·W values as its features.
    /// </summary>
    /// <param name="input">The input batch.</param>
    /// <param name="inputShape">Its shape; C·D·H·W must be <paramref name="inFeatures"/>.</param>
    /// <param name="output">Exactly N × <paramref name="outFeatures"/> elements.</param>
    /// <param name="weights">[outFeatures, inFeatures], row-major.</param>
    /// <param name="bias">One value per output feature, or empty for none.</param>
    /// <param name="inFeatures">Features per sample read.</param>
    /// <param name="outFeatures">Features per sample written.</param>
    /// <param name="activation">The function applied after the bias (<see cref="Activate"/>).</param>
    /// <param name="negativeSlope">Slope of <see cref="Activation.LeakyReLU"/> below zero.</param>
    /// <exception cref="ArgumentException">The shape does not fit or a span's length is wrong.</exception>
    public static void Linear(ReadOnlySpan<float> input, TensorShape inputShape, Span<float> output, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, int inFeatures, int outFeatures, Activation activation, float negativeSlope)
    {
        TensorShape outputShape = LinearKernel.OutputShape(inputShape, inFeatures, outFeatures, LayerName);
        NetworkGuard.CheckLengths(LayerName, input.Length, inputShape, output.Length, outputShape);
        if (weights.Length != (long)inFeatures * outFeatures)
        {
            throw new ArgumentException($"weights has {weights.Length} elements but [{outFeatures}, {inFeatures}] needs {(long)inFeatures * outFeatures}.", nameof(weights));
        }

        if (bias.Length != 0 && bias.Length != outFeatures)
        {
            throw new ArgumentException($"bias has {bias.Length} elements but needs 0 or {outFeatures}.", nameof(bias));
        }

        for (int n = 0; n < inputShape.N; n++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias.Length == 0 ? 0.0 : bias[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += (double)input[n * inFeatures + i] * weights[o * inFeatures + i];
                }

                output[n * outFeatures + o] = Activate(activation, negativeSlope, sum);
            }
        }
    }
}
