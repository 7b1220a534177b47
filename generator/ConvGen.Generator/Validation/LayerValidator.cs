using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Helpers;
using ConvGen.Generator.Model;
using ConvGen.Generator.Shared;

namespace ConvGen.Generator.Validation;

/// <summary>
/// Checks a <see cref="LayerSpec"/> and returns every problem found, errors and warnings alike. Pure, so the analyzer
/// (which reports) and the generator (which only needs to know whether to emit) agree by construction.
/// </summary>
internal static class LayerValidator
{
    public static List<Problem> Validate(LayerSpec spec)
    {
        var problems = new List<Problem>();
        if (!spec.IsWellFormed)
        {
            // Half-typed or non-constant arguments: the compiler already reports them; checking a guess would only add noise.
            return problems;
        }

        string name = spec.ClassName;
        CheckClass(spec, problems);

        CheckKernel(spec, problems);
        foreach ((string arg, IntArgument value) in new[] { ("S", spec.S), ("Sh", spec.Sh), ("Sw", spec.Sw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.StrideInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        foreach ((string arg, IntArgument value) in new[] { ("D", spec.D), ("Dh", spec.Dh), ("Dw", spec.Dw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.DilationInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        foreach ((string arg, IntArgument value) in new[] { ("P", spec.P), ("Ph", spec.Ph), ("Pw", spec.Pw) })
        {
            if (value.IsSet && value.Value < 0)
            {
                problems.Add(Make(DiagnosticIds.PaddingNegative, new[] { arg }, arg, N(value.Value), name));
            }
        }

        if (spec.Groups.IsSet && spec.Groups.Value < 1)
        {
            problems.Add(Make(DiagnosticIds.GroupsInvalid, new[] { "Groups" }, N(spec.Groups.Value), name));
        }

        CheckChannels(spec, problems);
        foreach ((string arg, IntArgument value) in new[] { ("InH", spec.InH), ("InW", spec.InW) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.InputSizeInvalid, new[] { arg }, arg, N(value.Value), name));
            }
        }

        if (HasErrors(problems))
        {
            return problems;
        }

        LayerGeometry g = spec.Resolve();
        if (CheckSize(spec, g, problems))
        {
            return problems;
        }

        if (g.HasStaticChannels)
        {
            CheckGroupsDivide(name, g.Groups, "InChannels", g.InChannels, problems);
            CheckGroupsDivide(name, g.Groups, "OutChannels", g.OutChannels, problems);
        }

        var rows = new List<Problem>();
        var columns = new List<Problem>();
        CheckAxis(spec, "height", "row", g.InH, g.KernelH, g.PadH, g.StrideH, g.DilationH, "InH", spec.Ph.IsSet ? "Ph" : "P", spec.Kh.IsSet ? "Kh" : "K", rows);
        CheckAxis(spec, "width", "column", g.InW, g.KernelW, g.PadW, g.StrideW, g.DilationW, "InW", spec.Pw.IsSet ? "Pw" : "P", spec.Kw.IsSet ? "Kw" : "K", columns);
        problems.AddRange(MergeAxes(rows, columns));
        return problems;
    }

    public static bool HasErrors(IEnumerable<Problem> problems)
    {
        foreach (Problem p in problems)
        {
            if (DiagnosticDescriptors.Get(p.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckClass(LayerSpec spec, List<Problem> problems)
    {
        if (!spec.IsPartial)
        {
            problems.Add(Make(DiagnosticIds.NotPartial, new[] { Problem.OnClassName }, spec.ClassName));
        }

        foreach (ContainingType outer in spec.ContainingTypes)
        {
            if (!outer.IsPartial)
            {
                problems.Add(Make(DiagnosticIds.ContainingTypeNotPartial, new[] { Problem.OnClassName }, outer.NameWithTypeParameters, spec.ClassName));
            }
        }

        if (spec.IsGeneric)
        {
            problems.Add(Make(DiagnosticIds.GenericLayer, new[] { Problem.OnClassName }, spec.ClassName, N(spec.TypeParameterCount)));
        }

        if (spec.IsStatic || spec.IsAbstract)
        {
            problems.Add(Make(DiagnosticIds.StaticOrAbstractLayer, new[] { Problem.OnClassName }, spec.ClassName, spec.IsStatic ? "static" : "abstract"));
        }
    }

    private static void CheckKernel(LayerSpec spec, List<Problem> problems)
    {
        string name = spec.ClassName;
        bool anyInvalid = false;
        foreach ((string arg, IntArgument value) in new[] { ("K", spec.K), ("Kh", spec.Kh), ("Kw", spec.Kw) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.KernelSizeInvalid, new[] { arg }, arg, N(value.Value), name));
                anyInvalid = true;
            }
        }

        if (anyInvalid)
        {
            return;
        }

        foreach ((string arg, IntArgument value) in new[] { ("Kh", spec.Kh), ("Kw", spec.Kw) })
        {
            if (spec.K.IsSet && value.IsSet && value.Value != spec.K.Value)
            {
                problems.Add(Make(DiagnosticIds.KernelSizeConflict, new[] { arg }, name, N(spec.K.Value), arg, N(value.Value)));
            }
        }

        if (!spec.K.IsSet && !spec.Kh.IsSet)
        {
            problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kw" }, name, "height (Kh)"));
        }

        if (!spec.K.IsSet && !spec.Kw.IsSet)
        {
            problems.Add(Make(DiagnosticIds.KernelSizeMissing, new[] { "Kh" }, name, "width (Kw)"));
        }
    }

    private static void CheckChannels(LayerSpec spec, List<Problem> problems)
    {
        string name = spec.ClassName;
        bool invalid = false;
        foreach ((string arg, IntArgument value) in new[] { ("InChannels", spec.InChannels), ("OutChannels", spec.OutChannels) })
        {
            if (value.IsSet && value.Value < 1)
            {
                problems.Add(Make(DiagnosticIds.ChannelsInvalid, new[] { arg }, arg, N(value.Value), name));
                invalid = true;
            }
        }

        if (!invalid && spec.InChannels.IsSet != spec.OutChannels.IsSet)
        {
            (string given, string missing, IntArgument value) = spec.InChannels.IsSet
                ? ("InChannels", "OutChannels", spec.InChannels)
                : ("OutChannels", "InChannels", spec.OutChannels);
            problems.Add(Make(DiagnosticIds.ChannelsHalfSpecified, new[] { given }, name, given, N(value.Value), missing));
        }
    }

    private static void CheckGroupsDivide(string name, int groups, string arg, int channels, List<Problem> problems)
    {
        if (channels % groups != 0)
        {
            problems.Add(Make(DiagnosticIds.GroupsNotDividing, new[] { "Groups" }, N(groups), name, arg, N(channels), N(channels % groups)));
        }
    }

    private static void CheckAxis(LayerSpec spec, string axis, string line, int size, int kernel, int pad, int stride, int dilation,
        string sizeArg, string padArg, string kernelArg, List<Problem> problems)
    {
        string name = spec.ClassName;
        long dilated = ConvArithmetic.DilatedKernel(kernel, dilation);
        if (size > 0)
        {
            long output = ConvArithmetic.OutputSize(size, kernel, pad, pad, stride, dilation);
            if (output <= 0)
            {
                problems.Add(Make(DiagnosticIds.OutputSizeNotPositive, new[] { sizeArg }, name, axis, N(output), N(size), N(pad),
                    N(dilation), N(kernel), N(stride), N(size + 2L * pad), N(dilated)));
                return;
            }

            long unread = ConvArithmetic.UnreadInputs(size, kernel, pad, pad, stride, dilation);
            if (unread > 0)
            {
                long span = size + 2L * pad - dilated;
                problems.Add(Make(DiagnosticIds.InputNeverRead, new[] { spec.Sh.IsSet && axis == "height" ? "Sh" : spec.Sw.IsSet && axis == "width" ? "Sw" : "S", sizeArg },
                    name, N(unread), line, N(size), N(pad), N(dilation), N(kernel), N(stride), N(span % stride)));
            }
        }

        if (pad >= dilated)
        {
            long paddingOnly = (pad - dilated + stride) / stride;
            problems.Add(Make(DiagnosticIds.PaddingOnlyOutputs, new[] { padArg }, name, padArg, N(pad), "D*(K-1)+1", N(dilated), N(paddingOnly), line));
        }

        if (kernel % 2 == 0 && dilation == 1 && pad == kernel / 2)
        {
            problems.Add(Make(DiagnosticIds.EvenKernelHalfPadding, new[] { padArg, kernelArg }, name, kernelArg, N(kernel), padArg, N(pad), axis,
                N((kernel - 1) / 2), N(kernel / 2)));
        }
    }

    /// <summary>
    /// A square layer usually has the same problem on both axes, written on the same argument (P = 4 with K = 3):
    /// one diagnostic naming both axes reads better than two that differ in one word.
    /// </summary>
    private static IEnumerable<Problem> MergeAxes(List<Problem> rows, List<Problem> columns)
    {
        var merged = new List<Problem>();
        var remaining = new List<Problem>(columns);
        foreach (Problem row in rows)
        {
            Problem? twin = remaining.Find(c => c.Id == row.Id && c.Arguments == row.Arguments && Neutral(c.MessageArgs) == Neutral(row.MessageArgs));
            if (twin is null)
            {
                merged.Add(row);
                continue;
            }

            remaining.Remove(twin);
            var args = new string[row.MessageArgs.Length];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = row.MessageArgs[i] switch
                {
                    "row" => "row(s) and column",
                    "height" => "height and width",
                    _ => row.MessageArgs[i],
                };
            }

            merged.Add(row with { MessageArgs = new EquatableArray<string>(args) });
        }

        merged.AddRange(remaining);
        return merged;
    }

    private static string Neutral(EquatableArray<string> args)
        => string.Join("|", System.Linq.Enumerable.Select(args, a => a switch { "row" or "column" => "axis", "height" or "width" => "extent", _ => a }));

    /// <summary>Products that a span, an array or a generated <c>const int</c> cannot hold are rejected before anything is generated.</summary>
    private static bool CheckSize(LayerSpec spec, LayerGeometry g, List<Problem> problems)
    {
        const long Max = int.MaxValue;
        string name = spec.ClassName;
        var found = new List<(string Arg, string What, long Value)>();
        long taps = (long)g.KernelH * g.KernelW;
        if (taps > Max)
        {
            found.Add((spec.K.IsSet ? "K" : "Kh", "taps per filter Kh*Kw", taps));
        }

        long extentH = 2L * g.PadH + ConvArithmetic.DilatedKernel(g.KernelH, g.DilationH) + g.InH;
        long extentW = 2L * g.PadW + ConvArithmetic.DilatedKernel(g.KernelW, g.DilationW) + g.InW;
        if (extentH > Max)
        {
            found.Add((spec.Ph.IsSet ? "Ph" : spec.P.IsSet ? "P" : spec.Dh.IsSet ? "Dh" : spec.D.IsSet ? "D" : "InH", "padded extent InH + 2*Ph + Dh*(Kh-1) + 1", extentH));
        }

        if (extentW > Max)
        {
            found.Add((spec.Pw.IsSet ? "Pw" : spec.P.IsSet ? "P" : spec.Dw.IsSet ? "Dw" : spec.D.IsSet ? "D" : "InW", "padded extent InW + 2*Pw + Dw*(Kw-1) + 1", extentW));
        }

        if (g.HasStaticChannels)
        {
            long weights = ConvArithmetic.WeightCount(g.InChannels, g.OutChannels, g.Groups, g.KernelH, g.KernelW);
            if (weights > Max)
            {
                found.Add(("OutChannels", "weights Cout*(Cin/G)*Kh*Kw", weights));
            }
        }

        if (found.Count == 0 && g.HasStaticSize)
        {
            long paddedW = g.InW + 2L * g.PadW;
            long plane = (g.InH + 2L * g.PadH) * ((paddedW + g.StrideW - 1) / g.StrideW * g.StrideW);
            long staged = plane * (g.HasStaticChannels ? g.InChannels : 1);
            if (staged > Max)
            {
                found.Add(("InH", g.HasStaticChannels ? "padded input InChannels*(InH + 2*Ph)*(InW + 2*Pw)" : "padded plane (InH + 2*Ph)*(InW + 2*Pw)", staged));
            }
        }

        if (found.Count > 0)
        {
            // One is enough: the others usually follow from the same oversized argument.
            problems.Add(Make(DiagnosticIds.LayerTooLarge, new[] { found[0].Arg }, name, found[0].What, N(found[0].Value)));
        }

        return found.Count > 0;
    }

    private static Problem Make(string id, string[] arguments, params string[] messageArgs)
        => new(id, new EquatableArray<string>(arguments), new EquatableArray<string>(messageArgs));

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
