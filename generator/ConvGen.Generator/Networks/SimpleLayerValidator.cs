using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Validation;

namespace ConvGen.Generator.Networks;

/// <summary>The checks of <c>[MaxPoolLayer]</c>, <c>[AvgPoolLayer]</c> and <c>[LinearLayer]</c> classes, with PyTorch's limits.</summary>
internal static class SimpleLayerValidator
{
    public static List<Problem> Validate(PoolSpec spec)
    {
        var problems = new List<Problem>();
        if (!spec.IsWellFormed)
        {
            return problems;
        }

        DeclarationChecks.Check(spec.Type, problems);
        string name = spec.Type.ClassName;
        if (!spec.K.IsSet || spec.K.Value < 1)
        {
            problems.Add(Make(DiagnosticIds.PoolArgumentInvalid, "K", spec.K.IsSet ? "K = " + N(spec.K.Value) : "K is missing", name,
                "the window size must be at least 1"));
            return problems;
        }

        if (spec.S.IsSet && spec.S.Value < 0)
        {
            problems.Add(Make(DiagnosticIds.PoolArgumentInvalid, "S", "S = " + N(spec.S.Value), name,
                "the stride must be at least 1 (or 0 for the default, S = K)"));
        }

        if (spec.P.IsSet && (spec.P.Value < 0 || spec.P.Value > spec.K.Value / 2))
        {
            problems.Add(Make(DiagnosticIds.PoolArgumentInvalid, "P", "P = " + N(spec.P.Value), name,
                $"the padding must be between 0 and K / 2 = {N(spec.K.Value / 2)}, as in PyTorch"));
        }

        return problems;
    }

    public static List<Problem> Validate(LinearSpec spec)
    {
        var problems = new List<Problem>();
        if (!spec.IsWellFormed)
        {
            return problems;
        }

        DeclarationChecks.Check(spec.Type, problems);
        string name = spec.Type.ClassName;
        foreach ((string arg, Model.IntArgument value) in new[] { ("InFeatures", spec.InFeatures), ("OutFeatures", spec.OutFeatures) })
        {
            if (!value.IsSet || value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.LinearArgumentInvalid, arg, value.IsSet ? arg + " = " + N(value.Value) : arg + " is missing", name,
                    "a linear layer needs at least one feature on each side"));
            }
        }

        if (spec.InFeatures.Value > 0 && spec.OutFeatures.Value > 0 && (long)spec.InFeatures.Value * spec.OutFeatures.Value > int.MaxValue)
        {
            problems.Add(Make(DiagnosticIds.LinearArgumentInvalid, "OutFeatures",
                $"InFeatures x OutFeatures = {N((long)spec.InFeatures.Value * spec.OutFeatures.Value)}", name,
                "the weights would exceed 2147483647 floats, the most a .NET array can hold"));
        }

        if (spec.Activation is < 0 or > 6)
        {
            problems.Add(Make(DiagnosticIds.EnumValueInvalid, "Activation", "Activation", N(spec.Activation), name, "Activation",
                "None, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, SiLU"));
        }

        return problems;
    }

    private static Problem Make(string id, string argument, params string[] messageArgs)
        => new(id, new EquatableArray<string>(new[] { argument }), new EquatableArray<string>(messageArgs));

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
