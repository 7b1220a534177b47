using System;

namespace ConvGen;

public static partial class ConvReference
{
    /// <summary>
    /// <paramref name="kind"/> of <paramref name="x"/>, computed in double and rounded once to float: the value a
    /// kernel's fused activation should produce for the pre-activation sum <paramref name="x"/>.
    /// </summary>
    /// <param name="kind">The activation.</param>
    /// <param name="negativeSlope">The slope of <see cref="Activation.LeakyReLU"/> below zero; ignored by the others.</param>
    /// <param name="x">The convolution output plus bias.</param>
    public static float Activate(Activation kind, float negativeSlope, double x) => (float)ActivateDouble(kind, negativeSlope, x);

    /// <summary><see cref="Activate"/> without the rounding: what the double-precision forward passes use.</summary>
    private static double ActivateDouble(Activation kind, float negativeSlope, double x) => kind switch
    {
        Activation.None => x,
        Activation.ReLU => Math.Max(x, 0.0),
        Activation.ReLU6 => Math.Min(Math.Max(x, 0.0), 6.0),
        Activation.LeakyReLU => x >= 0 ? x : negativeSlope * x,
        Activation.Sigmoid => Sigmoid(x),
        Activation.Tanh => Math.Tanh(x),
        Activation.SiLU => x * Sigmoid(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an Activation."),
    };

    // exp(-x) overflows to infinity for x below about -709, which gives 1/inf = 0: the right limit, no special case.
    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
