using System;
using System.Collections.Generic;

namespace ConvGen.Training;

/// <summary>Fills parameters with random starting values, as PyTorch's layers do when they are created.</summary>
public static class Initialization
{
    /// <summary>
    /// What <c>reset_parameters</c> of PyTorch's <c>Conv*d</c>, <c>ConvTranspose*d</c> and <c>Linear</c> does: every
    /// weight ~ U(−1/√fan_in, 1/√fan_in) (<c>kaiming_uniform_</c> with a = √5) and every bias ~ U(−1/√fan_in,
    /// 1/√fan_in) with the fan-in of its layer's weight, drawn in the order given.
    /// </summary>
    /// <remarks>
    /// A parameter named <c>bias</c> or <c>prefix.bias</c> is a bias and takes the <see cref="Parameter.FanIn"/> of the
    /// closest preceding parameter named <c>weight</c> or <c>prefix.weight</c> with the same prefix, so the depthwise
    /// and pointwise halves of a separable layer each get their own bound; every other parameter is a weight with its
    /// own fan-in. The values come from <paramref name="random"/>, not from PyTorch's generator, so they follow the same
    /// distribution as PyTorch's but are not the same numbers.
    /// </remarks>
    /// <exception cref="ArgumentException">A bias has no preceding weight with the same prefix.</exception>
    public static void KaimingUniform(IReadOnlyList<Parameter> parameters, TrainingRandom random)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(random);

        // Resolve every bound before drawing anything, so a bad list leaves the parameters untouched.
        var bounds = new float[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i];
            int fanIn = IsBias(p.Name, out string prefix) ? WeightFanIn(parameters, i, prefix) : p.FanIn;
            // kaiming_uniform_ with a = √5: gain √(2 / (1 + 5)), bound √3 · gain / √fan_in = 1/√fan_in; PyTorch uses 0 for an empty fan.
            bounds[i] = fanIn > 0 ? (float)(1 / Math.Sqrt(fanIn)) : 0f;
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            Uniform(parameters[i].Values.Span, bounds[i], random);
        }
    }

    /// <summary>Fills <paramref name="values"/> with draws from U(−<paramref name="bound"/>, <paramref name="bound"/>), as <c>uniform_(-bound, bound)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is negative or not finite.</exception>
    public static void Uniform(Span<float> values, float bound, TrainingRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(bound >= 0) || float.IsInfinity(bound))
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, $"The bound must be finite and at least 0, got {bound}.");
        }

        float width = 2 * bound;
        for (int i = 0; i < values.Length; i++)
        {
            // from + (to − from)·u, PyTorch's form; with u < 1 the result never passes the upper bound.
            values[i] = -bound + width * random.NextFloat();
        }
    }

    private static bool IsBias(string name, out string prefix)
    {
        const string Bias = "bias";
        if (name == Bias || name.EndsWith("." + Bias, StringComparison.Ordinal))
        {
            prefix = name[..^Bias.Length];
            return true;
        }

        prefix = "";
        return false;
    }

    private static int WeightFanIn(IReadOnlyList<Parameter> parameters, int biasIndex, string prefix)
    {
        string weightName = prefix + "weight";
        for (int j = biasIndex - 1; j >= 0; j--)
        {
            if (parameters[j].Name == weightName)
            {
                return parameters[j].FanIn;
            }
        }

        throw new ArgumentException(
            $"Parameter {biasIndex} ({parameters[biasIndex]}) is a bias, but no '{weightName}' comes before it to give its fan-in.", nameof(parameters));
    }
}
