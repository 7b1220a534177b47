using System;
using System.Linq;
using Xunit;

namespace ConvGen.Runtime.Tests;

/// <summary>The gradient check the backward references share: central differences in double precision.</summary>
internal static class CentralDifferences
{
    /// <summary>
    /// Asserts that <paramref name="gradient"/> is d(sum(r * forward())) / d <paramref name="values"/>, element by
    /// element, within 1e-4 of the largest gradient (or of 1), stepping each value by ±1e-6.
    /// </summary>
    public static void AssertGradient(string what, double[] values, float[] gradient, Func<double[]> forward, double[] r)
    {
        double Loss() => forward().Zip(r, (y, rr) => y * rr).Sum();
        double scale = Math.Max(1, gradient.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max());
        for (int i = 0; i < values.Length; i++)
        {
            const double h = 1e-6;
            double keep = values[i];
            values[i] = keep + h;
            double up = Loss();
            values[i] = keep - h;
            double down = Loss();
            values[i] = keep;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-4 * scale, $"{what}[{i}] is {gradient[i]} but central differences give {numeric}");
        }
    }
}
